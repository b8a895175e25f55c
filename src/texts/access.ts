/** Access: tenants that may use the bot, and coordinators added in chat. */
export const accessSv = {
  tenantRefused: (parties?: { municipality: string }) =>
    parties
      ? `Den här boten används av Polisen och ${parties.municipality} för att följa upp deras medborgarlöfte. Din organisation har inte tillgång till den.`
      : 'Den här boten används av Polisen och kommunen som har gett medborgarlöftet. Din organisation har inte tillgång till den.',
  coordinators: {
    onlyCoordinators:
      'Det är bara samordnare som kan lägga till eller ta bort samordnare. Be en samordnare (kommunpolis eller säkerhetssamordnare) om hjälp.',
    usageAdd:
      'Nämn personen med @ i samma meddelande, till exempel: lägg till samordnare @Anna Andersson. Det fungerar i en kanal eller gruppchatt där personen är med.',
    usageRemove:
      'Nämn personen med @ i samma meddelande, till exempel: ta bort samordnare @Anna Andersson. Det fungerar i en kanal eller gruppchatt där personen är med.',
    added: (name: string) => `${name} är nu samordnare.`,
    alreadyCoordinator: (name: string) => `${name} är redan samordnare.`,
    configuredAdd: (name: string) => `${name} är redan samordnare enligt inställningen COORDINATOR_IDS.`,
    removed: (name: string) => `${name} är inte längre samordnare.`,
    notCoordinator: (name: string) => `${name} är inte samordnare, så det fanns inget att ta bort.`,
    configuredRemove: (name: string) =>
      `${name} är samordnare enligt inställningen COORDINATOR_IDS och kan inte tas bort i chatten. Den som driftar boten behöver ändra inställningen och starta om boten.`,
    lookupFailed: (name: string) =>
      `Jag kunde inte slå upp ${name} i Teams, så ingenting ändrades. Försök igen om en stund.`,
    someone: 'Personen',
  },
};

export const accessEn: typeof accessSv = {
  tenantRefused: (parties?: { municipality: string }) =>
    parties
      ? `This bot is used by the Police and ${parties.municipality} to follow up their citizen promise (medborgarlöfte). Your organisation does not have access to it.`
      : 'This bot is used by the Police and the municipality that made the citizen promise (medborgarlöfte). Your organisation does not have access to it.',
  coordinators: {
    onlyCoordinators:
      'Only coordinators can add or remove coordinators. Ask a coordinator (kommunpolis or säkerhetssamordnare) for help.',
    usageAdd:
      'Mention the person with @ in the same message, for example: add coordinator @Anna Andersson. It works in a channel or group chat the person is in.',
    usageRemove:
      'Mention the person with @ in the same message, for example: remove coordinator @Anna Andersson. It works in a channel or group chat the person is in.',
    added: (name: string) => `${name} is now a coordinator.`,
    alreadyCoordinator: (name: string) => `${name} is already a coordinator.`,
    configuredAdd: (name: string) => `${name} is already a coordinator through the COORDINATOR_IDS setting.`,
    removed: (name: string) => `${name} is no longer a coordinator.`,
    notCoordinator: (name: string) => `${name} is not a coordinator, so there was nothing to remove.`,
    configuredRemove: (name: string) =>
      `${name} is a coordinator through the COORDINATOR_IDS setting and cannot be removed in chat. Whoever runs the bot needs to change the setting and restart the bot.`,
    lookupFailed: (name: string) =>
      `I could not look up ${name} in Teams, so nothing was changed. Please try again in a while.`,
    someone: 'The person',
  },
};
