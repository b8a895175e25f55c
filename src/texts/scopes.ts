/** One deployment, many municipalities: which municipality (kommun) a conversation is about. */
export const scopesSv = {
  notConnected: {
    channel:
      'Den här kanalen är inte kopplad till någon kommun. Boten används av flera kommuner, så jag vet inte vilket medborgarlöfte ni menar. En samordnare skriver koppla kanal här för att koppla kanalen till sin kommun.',
    groupChat:
      'Den här gruppchatten är inte kopplad till någon kommun. Boten används av flera kommuner, så jag vet inte vilket medborgarlöfte ni menar. En samordnare skriver byt kommun här för att välja kommun.',
    personal:
      'Den här chatten är inte kopplad till någon kommun. Boten används av flera kommuner och du är inte anmäld i någon av dem. Skriv anmäl mig i din kommuns kanal, eller be en samordnare i din kommun att anmäla dig.',
  },
  chooseTitle: 'Vilken kommun gäller det?',
  chooseIntro:
    'Boten används av flera kommuner. Välj vilken kommun den här chatten ska gälla. Du kan byta senare med byt kommun.',
  chooseChannel: 'Välj vilken kommun kanalen eller gruppchatten ska gälla. Det gäller alla här.',
  current: (municipality: string) => `Nu gäller chatten ${municipality}.`,
  municipality: 'Kommun',
  chooseButton: 'Välj',
  bound: (municipality: string) => `Klart. Den här chatten gäller nu ${municipality}. Skriv byt kommun för att byta.`,
  boundChannel: (municipality: string) =>
    `Klart. Den här kanalen gäller nu ${municipality}. Skriv koppla kanal om påminnelser och sammanfattningar ska komma hit.`,
  onlyOne: (municipality: string) =>
    `Boten används bara av ${municipality}, så det finns ingen annan kommun att byta till.`,
  onlyCoordinators:
    'Det är bara en samordnare i kommunen som kan välja kommun för en kanal eller gruppchatt. Be en samordnare om hjälp.',
  forbidden: 'Du kan inte välja den kommunen här. Välj en av kommunerna på kortet.',
  unknown: 'Jag hittar inte den kommunen längre. Skriv byt kommun för att välja igen.',
};

export const scopesEn: typeof scopesSv = {
  notConnected: {
    channel:
      'This channel is not connected to a municipality. The bot serves several municipalities, so I do not know which citizen promise you mean. A coordinator types koppla kanal (link channel) here to connect the channel to their municipality.',
    groupChat:
      'This group chat is not connected to a municipality. The bot serves several municipalities, so I do not know which citizen promise you mean. A coordinator types byt kommun (switch municipality) here to choose one.',
    personal:
      'This chat is not connected to a municipality. The bot serves several municipalities and you are not registered in any of them. Type anmäl mig (register me) in your municipality’s channel, or ask a coordinator of your municipality to register you.',
  },
  chooseTitle: 'Which municipality is it about?',
  chooseIntro:
    'The bot serves several municipalities. Choose which one this chat is about. You can switch later with byt kommun (switch municipality).',
  chooseChannel: 'Choose which municipality the channel or group chat is about. It applies to everyone here.',
  current: (municipality: string) => `This chat is about ${municipality} now.`,
  municipality: 'Municipality',
  chooseButton: 'Choose',
  bound: (municipality: string) =>
    `Done. This chat is about ${municipality} now. Type byt kommun (switch municipality) to switch.`,
  boundChannel: (municipality: string) =>
    `Done. This channel is about ${municipality} now. Type koppla kanal (link channel) if reminders and digests should come here.`,
  onlyOne: (municipality: string) =>
    `The bot serves only ${municipality}, so there is no other municipality to switch to.`,
  onlyCoordinators:
    'Only a coordinator of the municipality can choose the municipality of a channel or group chat. Ask a coordinator for help.',
  forbidden: 'You cannot choose that municipality here. Choose one of the municipalities on the card.',
  unknown: 'I cannot find that municipality any more. Type byt kommun (switch municipality) to choose again.',
};
