/** Action.Execute verbs: used by the card builders and the routes alike, written once. */
export const Verbs = {
  showStatus: 'status.show',
  showHelp: 'help.show',
  showPledge: 'status.pledge',
  openReport: 'report.open',
  submitReport: 'report.submit',
  editReport: 'report.edit',
  saveReport: 'report.save',
  withdrawReport: 'report.withdraw',
  myReports: 'report.mine',
} as const;
export type Verb = (typeof Verbs)[keyof typeof Verbs];
