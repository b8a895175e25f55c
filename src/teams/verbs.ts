/** Action.Execute verbs: used by the card builders and the routes alike, written once. */
export const Verbs = {
  showStatus: 'status.show',
  showHelp: 'help.show',
  openReport: 'report.open',
} as const;
export type Verb = (typeof Verbs)[keyof typeof Verbs];
