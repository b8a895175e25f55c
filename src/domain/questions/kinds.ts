/**
 * The cue words that say which kind of question it is, one list per kind. Patterns: words separated
 * by spaces, alternatives by '/'; 'x*' starts with x, '*x' ends with x, '=x' exactly x (see text.ts).
 */

export const MISSING_REPORTERS = [
  'inte/ej/icke rapporterat/rapporterar/rapporterats/lamnat/skickat',
  'inte/ej lamnat/skickat rapport*',
  'saknas/saknar/fattas rapport*',
  'rapport* saknas/fattas',
  'alla rapporterat',
  'alla lamnat/skickat/rapporterat/inkommit/skickat rapport*/*rapport/*rapporten/in',
  'not reported',
  'hasn/haven/hasnt/havent/didn/didnt reported',
  'missing report*',
  'everyone/everybody report/reported',
];
export const MEETING_WORD =
  'mote/motet/moten/*mote/*motet/meeting/meetings/styrgrupp/styrgruppen/uppfoljning/uppfoljningen';
export const NEXT_MEETING = [
  'nasta/next/kommande/upcoming ' + MEETING_WORD,
  'nar/when ' + MEETING_WORD,
  'nar traffas/ses/motes',
  'when meet',
];
/** "vad ska vi ta upp på nästa möte?", "flaggade rapporter", "what to raise at the next meeting". */
export const RAISE = [
  'ta/tar/tas/tagas upp',
  'lyfta/lyfter/lyftas/lyfts',
  'flaggade/flaggad/flaggat/flagged/markerade/markerad/markerat/markerats',
  'raise/raised/raising/bring',
  'dagordning/dagordningen/agenda/agendan',
  'ska/skall/bor/borde upp',
];
/** At Risk or Efter: the status card's levels. */
export const BEHIND = [
  'ligger/ligga/slapar/slapa/hamnat/kommit efter',
  'slapar/efterslapar/efterslapning/behind/lagging',
  'i/at risk/riskzonen',
  'risk/riskzonen/riskerar/risigt/riskabelt',
  'off track',
  'efter/risk eller/or risk/efter',
];
/** Goal progress: reached or not, what remains, the pace needed. */
export const GOAL = [
  'natt/uppnatt/klarat/klarar/klara/klarade/nadde/nadd/nar/na/natts/reached/reach/met/meet/hit/achieved mal/malet/malen/malsattningen/target/targets/goal/goals',
  'mal/malet/malen natt/uppnatt/klarat/reached/met',
  'till/mer/fler/more behovs/behover/kravs/needed/required',
  'hur manga till/kvar/fler/mer',
  'how many more/left/remaining',
  'takt/takten/tempo/tempot/pace',
  'on track',
  'per/i/varje/a/each/every vecka/veckan/week',
  'behover/behovs/need gora/goras/do',
  'kvar/aterstar/remaining/remain/left/saknas/fattas',
  '=meet/=hit',
];
export const TARGETS = [
  'mal/malet/malen/malsattning/malsattningen/malsattningar/malvarde/malvarden/=target/=targets/=goal/=goals',
];
export const SUMMARY = [
  'sammanfatta/sammanfattning/sammanfattningen/summera/summering/sammanstallning/sammanstall/summary/summarise/summarize/recap/summera/summa',
];
/** Numbers of reports and reporters. */
export const REPORTS = [
  'rapporter/rapporterna/veckorapporter/veckorapporterna/=reports/rapportorer/rapportorerna/=reporters',
  'har/have/has rapporterat/reported',
  'people/persons/personer/folk reported/rapporterade/rapporterat',
];
export const COMPARE = ['jamfort/jamfor/jamforelse/jamforat/jamfora/compared/compare/comparison/versus/=vs/gentemot'];
export const RECENT_STRONG = [
  'vad gjorts/gjort/gjordes/gjorde/hant/hande/rapporterats/gors/hander/gor/astadkommit/utrattat/uppnatt',
  'what done/happened/reported/did/achieved/accomplished',
];
export const RECENT_WEAK = ['senaste/senast/nyligen/recent/recently/latest'];
export const COUNT = [
  'hur manga/mnga/mang/manag',
  'hur mycket/mkt/mycke',
  'antal/antalet',
  'how many',
  'number of',
  '=count/=counts',
  'hur ofta',
  'how often',
];
export const STATUS = [
  'hur gar/gick/ligger',
  'hur ser ut',
  'i fas',
  'laget/lagesbild/lagesbilden/lagesrapport/status/statusen/oversikt/oversikten/overblick/overblicken/progress/overview',
  'how doing/going/things/look/looking/went',
  'how far',
  'hur langt',
];
/** Counts per area: "per område", "i vilka områden". */
export const PER_AREA = [
  'per/varje/each/by/fordelat/fordelade omrade/omraden/omradet/area/areas/plats/platser',
  'vilka/which omraden/areas/platser',
  'vilket/which omrade/area/plats',
  'var nagonstans',
  '=where',
];
export const PER_PARTY = ['per/by/fordelat part/parter/party/parties/organisation/aktor'];
