/** What a person's browser shows when a download link cannot serve its file (src/http/downloads.ts). */
export const downloadsSv = {
  expired: 'Länken har gått ut. Be boten om en ny länk i Teams.',
  invalid: 'Länken är ogiltig. Be boten om en ny länk i Teams.',
  gone: 'Det som länken pekade på finns inte längre.',
  failed: 'Filen kunde inte skapas just nu. Försök igen om en stund.',
};

export const downloadsEn: typeof downloadsSv = {
  expired: 'The link has expired. Ask the bot for a new link in Teams.',
  invalid: 'The link is not valid. Ask the bot for a new link in Teams.',
  gone: 'What the link pointed to no longer exists.',
  failed: 'The file could not be made just now. Try again in a moment.',
};
