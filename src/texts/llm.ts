/** Texts of the optional language model (src/teams/llm.ts). */
export const llmSv = {
  interpretedNote: 'Frågan tolkades av en språkmodell. Siffrorna kommer direkt från rapporterna.',
};

export const llmEn: typeof llmSv = {
  interpretedNote: 'The question was interpreted by a language model. The figures come straight from the reports.',
};
