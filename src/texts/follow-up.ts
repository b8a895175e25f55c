import type { MeetingKind } from '../domain/meeting.js';
import { isoWeekdayOfLocalDate } from '../domain/calendar.js';
import { formatLocalDate, formatNumber, formatShortDate } from './format.js';

/** Strings of the channel link, rapportörer and follow-up meetings (sv); followUpEn mirrors it. */

const svWeekdays = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const enWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "onsdag 20 mars 2024 kl. 13.00" from "2024-03-20" and "13:00". */
export function formatMeetingWhen(date: string, time: string, locale: 'sv' | 'en' = 'sv'): string {
  const weekday = (locale === 'en' ? enWeekdays : svWeekdays)[isoWeekdayOfLocalDate(date) - 1];
  return locale === 'en'
    ? `${weekday} ${formatLocalDate(date, 'en')} at ${time}`
    : `${weekday} ${formatLocalDate(date)} kl. ${time.replace(':', '.')}`;
}

export const followUpSv = {
  channel: {
    linkButton: 'Koppla kanal',
    linked:
      'Klart. Den här kanalen är nu den gemensamma kanalen för medborgarlöftet: påminnelser och sammanfattningar inför uppföljningsmötena hamnar här.',
    moved: (previous?: string) => `Kopplingen är flyttad hit från ${previous ?? 'en annan kanal'}.`,
    alreadyLinked: (since: string) => `Den här kanalen är redan kopplad sedan ${formatLocalDate(since)}.`,
    notInChannel:
      'Kanalen kopplas i teamets kanal, inte i en chatt. Gå till kanalen som Polisen och kommunen delar och skriv @Medborgarlöfte koppla kanal där, eller tryck på Koppla kanal på välkomstkortet i kanalen.',
    forbidden:
      'Det är bara samordnare (kommunpolis eller säkerhetssamordnare) som kan koppla kanalen. Be en samordnare göra det.',
    noAgreement: 'Det finns inget medborgarlöfte inlagt ännu, så det finns inget att koppla kanalen till.',
    someChannel: 'en kanal i teamet',
    statusLine: (name: string | undefined, since: string) =>
      `Kopplad kanal: ${name ?? 'en kanal i teamet'} sedan ${formatLocalDate(since)}`,
    hiddenName: 'kanal (dold)',
  },

  reporters: {
    registered: (party: string) =>
      `Du är anmäld som rapportör för ${party}. Jag påminner dig när veckorapporten ska in. Skriv borta till 31 juli när du är ledig, eller avanmäl mig om du vill sluta.`,
    alreadyRegistered: (party: string) => `Du är redan anmäld som rapportör för ${party}.`,
    chooseTitle: 'Anmäl dig som rapportör',
    chooseParty: 'Rapporterar du för Polisen eller Kommunen?',
    unknownParty: 'Jag förstod inte vilken part du menar.',
    unregistered:
      'Du är avanmäld som rapportör och får inga fler påminnelser. Dina rapporter finns kvar. Skriv anmäl mig om du vill börja igen.',
    notRegistered: 'Du är inte anmäld som rapportör. Skriv anmäl mig för att anmäla dig.',
    absenceSaved: (until: string) =>
      `Noterat: du är borta till och med ${formatLocalDate(until)}. Jag påminner dig inte om rapporter förrän efter det.`,
    absenceErrors: {
      empty: 'Skriv till vilket datum du är borta, till exempel borta till 2024-07-31 eller borta till 31 juli.',
      format: 'Jag förstod inte datumet. Skriv till exempel borta till 2024-07-31 eller borta till 31 juli.',
      past: 'Det datumet har redan varit. Skriv ett datum från och med i dag, till exempel borta till 31 juli.',
      tooFar: 'Datumet ligger mer än ett år fram. Skriv ett datum inom ett år.',
    },
    title: 'Rapportörer',
    intro: (week: number) => `Anmälda rapportörer och om de har rapporterat vecka ${week}.`,
    empty: 'Ingen har anmält sig som rapportör ännu. Var och en skriver anmäl mig i chatten med mig.',
    reported: (week: number) => `Har rapporterat v. ${week}`,
    notReported: (week: number) => `Inte rapporterat v. ${week}`,
    absentUntil: (until: string) => `Borta t.o.m. ${formatShortDate(until)}`,
    noName: 'Namn saknas',
    removeButton: 'Ta bort',
    removed: (name?: string) =>
      name ? `${name} är borttagen från listan över rapportörer.` : 'Rapportören är borttagen från listan.',
    alreadyRemoved: 'Den personen är redan borttagen från listan.',
    forbidden: 'Det är bara samordnare som kan se listan över rapportörer.',
    onlyInPersonalChat:
      'Listan över rapportörer visar vem som har rapporterat, så jag visar den bara i chatten med mig. Skriv rapportörer där.',
    more: (n: number) => `… och ${formatNumber(n)} till.`,
    /** A coordinator registers others: `anmäl @Namn som rapportör för Kommunen`. */
    others: {
      registered: (name: string, party: string) =>
        `${name} är anmäld som rapportör för ${party} och får påminnelser när veckorapporten ska in.`,
      registeredNoChat: (name: string, party: string) =>
        `${name} är anmäld som rapportör för ${party}. ${name} har ingen chatt med mig ännu, så påminnelserna kommer som omnämnanden i den kopplade kanalen tills ${name} skriver till mig.`,
      alreadyRegistered: (name: string, party: string) => `${name} är redan anmäld som rapportör för ${party}.`,
      lookupFailed: (name: string) =>
        `Jag kunde inte hitta ${name} i Teams, så ${name} är inte anmäld. Kontrollera att personen är med i kanalen eller chatten.`,
      someone: 'Personen',
      chooseTitle: 'Anmäl rapportörer',
      chooseParty: (names: string, _many: boolean) => `Rapporterar ${names} för Polisen eller Kommunen?`,
      chooseHint: 'Rapporterar de för olika parter, skriv anmäl @Namn som rapportör för Kommunen för var och en.',
      and: 'och',
      usage:
        'Skriv anmäl och nämn personen med @, till exempel anmäl @Anna Andersson som rapportör för Kommunen. Vill du anmäla dig själv skriver du anmäl mig.',
      forbidden:
        'Det är bara samordnare som kan anmäla andra som rapportörer. Du kan anmäla dig själv genom att skriva anmäl mig.',
    },
  },

  meetings: {
    kindNames: {
      samverkansmöte: 'Samverkansmöte',
      'EST-möte': 'EST-möte',
      SSPF: 'SSPF-möte',
      styrgrupp: 'Styrgruppsmöte',
      tertialuppföljning: 'Tertialuppföljning',
      annat: 'Annat möte',
    } as Record<MeetingKind, string>,
    when: (date: string, time: string) => formatMeetingWhen(date, time, 'sv'),
    newTitle: 'Nytt uppföljningsmöte',
    editTitle: 'Ändra uppföljningsmöte',
    kind: 'Typ av möte',
    date: 'Datum',
    time: 'Klockslag',
    place: 'Plats eller länk',
    placePlaceholder: 'T.ex. Polishuset, sal 2, eller länken till Teams-mötet',
    agenda: 'Att ta upp (valfritt)',
    agendaPlaceholder: 'Kort om dagordningen. Inga namn eller personuppgifter.',
    placeLabel: 'Plats',
    agendaLabel: 'Att ta upp',
    saveButton: 'Spara',
    editButton: 'Ändra',
    cancelButton: 'Ställ in',
    listButton: 'Visa möten',
    newButton: 'Nytt möte',
    errorSummary: 'Mötet sparades inte. Rätta det som är markerat nedan; det du skrivit finns kvar.',
    errors: {
      kind: { required: 'Välj typ av möte.', invalid: 'Välj en typ i listan.' },
      date: {
        required: 'Fyll i datum.',
        invalid: 'Datumet är inte giltigt.',
        past: 'Datumet har redan varit. Välj i dag eller senare.',
        tooFar: 'Datumet ligger mer än tre år fram. Kontrollera året.',
      },
      time: {
        required: 'Fyll i klockslag.',
        invalid: 'Skriv klockslaget som 13:00.',
        past: 'Klockslaget har redan passerat i dag.',
        nonexistent:
          'Det klockslaget finns inte den dagen: klockan ställs fram en timme till sommartid. Välj en annan tid.',
      },
      place: { tooLong: (max: number) => `Platsen får vara högst ${formatNumber(max)} tecken.` },
      agenda: { tooLong: (max: number) => `Texten får vara högst ${formatNumber(max)} tecken.` },
    } as Record<string, Record<string, string | ((max: number) => string)>>,
    personalData: (kinds: string[]) =>
      `Texten innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer.`,
    saved: 'Mötet är sparat',
    updated: 'Mötet är ändrat',
    rescheduled: 'Ny tid: påminnelserna går ut inför den nya tiden.',
    alreadySaved: 'Mötet var redan sparat — det sparades inte en gång till.',
    unchanged: 'Inget ändrades.',
    cancelQuestion:
      'Vill du ställa in mötet? Det finns kvar i historiken men visas inte bland kommande möten, och inga påminnelser går ut.',
    confirmCancelButton: 'Ja, ställ in',
    keepButton: 'Nej, behåll',
    cancelled: 'Mötet är inställt.',
    cancelledOn: (date: string) => `Inställt ${formatLocalDate(date)}.`,
    alreadyCancelled: 'Mötet är redan inställt.',
    notFound: 'Mötet finns inte.',
    forbidden:
      'Det är bara samordnare (kommunpolis eller säkerhetssamordnare) som kan lägga in, ändra och ställa in uppföljningsmöten.',
    noAgreement: 'Det finns inget medborgarlöfte inlagt ännu, så det går inte att lägga in möten.',
    listTitle: 'Kommande uppföljningsmöten',
    listEmpty: 'Inga kommande uppföljningsmöten är inlagda.',
    listEmptyCoordinator:
      'Inga kommande uppföljningsmöten är inlagda. Skriv nytt möte eller tryck på Nytt möte för att lägga in ett.',
    more: (n: number) => `… och ${formatNumber(n)} till. Skriv möten igen när de närmaste har varit.`,
    nextLine: (kind: string, when: string) => `Nästa möte: ${kind}, ${when}`,
    nextNone:
      'Inga uppföljningsmöten är inlagda från i dag och framåt. En samordnare lägger in dem med kommandot nytt möte.',
  },
};

export const followUpEn: typeof followUpSv = {
  channel: {
    linkButton: 'Link channel',
    linked:
      'Done. This channel is now the shared channel of the citizen promise: reminders and digests before follow-up meetings are posted here.',
    moved: (previous?: string) => `The link was moved here from ${previous ?? 'another channel'}.`,
    alreadyLinked: (since: string) => `This channel has been linked since ${formatLocalDate(since, 'en')}.`,
    notInChannel:
      'A channel is linked in the team channel, not in a chat. Go to the channel the Police and the municipality share and type @Medborgarlöfte koppla kanal (link channel) there, or press Link channel on the welcome card in the channel.',
    forbidden:
      'Only coordinators (kommunpolis or säkerhetssamordnare) can link the channel. Ask a coordinator to do it.',
    noAgreement: 'No citizen promise has been added yet, so there is nothing to link the channel to.',
    someChannel: 'a channel in the team',
    statusLine: (name: string | undefined, since: string) =>
      `Linked channel: ${name ?? 'a channel in the team'} since ${formatLocalDate(since, 'en')}`,
    hiddenName: 'channel (hidden)',
  },

  reporters: {
    registered: (party: string) =>
      `You are registered as a reporter for ${party}. I will remind you when the weekly report is due. Type away until 31 July when you are on leave, or unregister me to stop.`,
    alreadyRegistered: (party: string) => `You are already registered as a reporter for ${party}.`,
    chooseTitle: 'Register as a reporter',
    chooseParty: 'Do you report for the Police or the municipality?',
    unknownParty: 'I did not understand which party you meant.',
    unregistered:
      'You are unregistered as a reporter and get no more reminders. Your reports are kept. Type register me to start again.',
    notRegistered: 'You are not registered as a reporter. Type register me to register.',
    absenceSaved: (until: string) =>
      `Noted: you are away up to and including ${formatLocalDate(until, 'en')}. I will not remind you about reports until then.`,
    absenceErrors: {
      empty: 'Say until which date you are away, for example away until 2024-07-31 or away until 31 July.',
      format: 'I did not understand the date. Type for example away until 2024-07-31 or away until 31 July.',
      past: 'That date has passed. Give a date from today on, for example away until 31 July.',
      tooFar: 'The date is more than a year ahead. Give a date within a year.',
    },
    title: 'Reporters',
    intro: (week: number) => `Registered reporters and whether they reported in week ${week}.`,
    empty: 'Nobody has registered as a reporter yet. Each person types register me in the chat with me.',
    reported: (week: number) => `Reported in week ${week}`,
    notReported: (week: number) => `Not reported in week ${week}`,
    absentUntil: (until: string) => `Away until ${formatShortDate(until, 'en')}`,
    noName: 'No name',
    removeButton: 'Remove',
    removed: (name?: string) =>
      name ? `${name} was removed from the list of reporters.` : 'The reporter was removed from the list.',
    alreadyRemoved: 'That person has already been removed from the list.',
    forbidden: 'Only coordinators can see the list of reporters.',
    onlyInPersonalChat:
      'The list of reporters shows who has reported, so I only show it in the chat with me. Type reporters there.',
    more: (n: number) => `… and ${formatNumber(n, 'en')} more.`,
    others: {
      registered: (name: string, party: string) =>
        `${name} is registered as a reporter for ${party} and gets reminders when the weekly report is due.`,
      registeredNoChat: (name: string, party: string) =>
        `${name} is registered as a reporter for ${party}. ${name} has no chat with me yet, so the reminders come as mentions in the linked channel until ${name} writes to me.`,
      alreadyRegistered: (name: string, party: string) => `${name} is already registered as a reporter for ${party}.`,
      lookupFailed: (name: string) =>
        `I could not find ${name} in Teams, so ${name} is not registered. Check that the person is a member of the channel or chat.`,
      someone: 'The person',
      chooseTitle: 'Register reporters',
      chooseParty: (names: string, many: boolean) =>
        `${many ? 'Do' : 'Does'} ${names} report for the Police or the municipality?`,
      chooseHint:
        'If they report for different parties, type anmäl @Name som rapportör för Kommunen (register @Name for the municipality) for each of them.',
      and: 'and',
      usage:
        'Type anmäl (register) and @mention the person, for example anmäl @Anna Andersson som rapportör för Kommunen. To register yourself, type register me.',
      forbidden: 'Only coordinators can register others as reporters. You can register yourself by typing register me.',
    },
  },

  meetings: {
    kindNames: {
      samverkansmöte: 'Samverkansmöte (cooperation meeting)',
      'EST-möte': 'EST meeting',
      SSPF: 'SSPF meeting',
      styrgrupp: 'Steering group',
      tertialuppföljning: 'Tertial follow-up',
      annat: 'Other meeting',
    } as Record<MeetingKind, string>,
    when: (date: string, time: string) => formatMeetingWhen(date, time, 'en'),
    newTitle: 'New follow-up meeting',
    editTitle: 'Change follow-up meeting',
    kind: 'Kind of meeting',
    date: 'Date',
    time: 'Time',
    place: 'Place or link',
    placePlaceholder: 'E.g. the police station, room 2, or the link to the Teams meeting',
    agenda: 'To discuss (optional)',
    agendaPlaceholder: 'Short agenda. No names or personal data.',
    placeLabel: 'Place',
    agendaLabel: 'To discuss',
    saveButton: 'Save',
    editButton: 'Change',
    cancelButton: 'Cancel meeting',
    listButton: 'Show meetings',
    newButton: 'New meeting',
    errorSummary: 'The meeting was not saved. Correct what is marked below; what you typed is still there.',
    errors: {
      kind: { required: 'Choose the kind of meeting.', invalid: 'Choose a kind from the list.' },
      date: {
        required: 'Fill in the date.',
        invalid: 'The date is not valid.',
        past: 'That date has passed. Choose today or later.',
        tooFar: 'The date is more than three years ahead. Check the year.',
      },
      time: {
        required: 'Fill in the time.',
        invalid: 'Write the time as 13:00.',
        past: 'That time has already passed today.',
        nonexistent:
          'That time does not exist on that day: clocks go forward an hour to summer time. Choose another time.',
      },
      place: { tooLong: (max: number) => `The place may be at most ${formatNumber(max, 'en')} characters.` },
      agenda: { tooLong: (max: number) => `The text may be at most ${formatNumber(max, 'en')} characters.` },
    },
    personalData: (kinds: string[]) =>
      `The text contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals.`,
    saved: 'The meeting is saved',
    updated: 'The meeting is changed',
    rescheduled: 'New time: reminders go out before the new time.',
    alreadySaved: 'The meeting was already saved — it was not saved again.',
    unchanged: 'Nothing changed.',
    cancelQuestion:
      'Do you want to cancel the meeting? It stays in the history but is not shown among coming meetings, and no reminders go out.',
    confirmCancelButton: 'Yes, cancel it',
    keepButton: 'No, keep it',
    cancelled: 'The meeting is cancelled.',
    cancelledOn: (date: string) => `Cancelled ${formatLocalDate(date, 'en')}.`,
    alreadyCancelled: 'The meeting is already cancelled.',
    notFound: 'The meeting does not exist.',
    forbidden: 'Only coordinators (kommunpolis or säkerhetssamordnare) can add, change and cancel follow-up meetings.',
    noAgreement: 'No citizen promise has been added yet, so meetings cannot be added.',
    listTitle: 'Coming follow-up meetings',
    listEmpty: 'No coming follow-up meetings have been added.',
    listEmptyCoordinator:
      'No coming follow-up meetings have been added. Type new meeting or press New meeting to add one.',
    more: (n: number) => `… and ${formatNumber(n, 'en')} more. Type meetings again once the nearest have taken place.`,
    nextLine: (kind: string, when: string) => `Next meeting: ${kind}, ${when}`,
    nextNone: 'No coming follow-up meetings have been added. A coordinator adds them with nytt möte (new meeting).',
  },
};
