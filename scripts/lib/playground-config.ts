// The Microsoft 365 Agents Playground's config file (M365_AGENTS_PLAYGROUND_CONFIG_PATH), shared by
// npm run test:e2e and npm run playground:demo: its default user's aadObjectId is not a GUID, so
// COORDINATOR_IDS cannot name it; this one gives the current user a real GUID.
import { randomUUID } from 'node:crypto';

/**
 * The Playground's built-in config file (0.2.28, ConfigManager's default) with the current user's
 * aadObjectId set to `aadObjectId`. Its schema wants exactly five other users.
 */
export function playgroundConfig(aadObjectId: string): string {
  return `version: "0.1.1"
tenantId: 00000000-0000-0000-0000-0000000000001
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: Test Bot
currentUser:
  id: user-id-0
  name: Alex Wilber
  userPrincipleName: alexw@example.com
  aadObjectId: ${aadObjectId}
  givenName: Alex
  surname: Wilber
  email: alexw@example.com
users:
  - id: user-id-1
    name: Megan Bowen
    userPrincipleName: meganb@example.com
    aadObjectId: 00000000-0000-0000-0000-000000000021
    givenName: Megan
    surname: Bowen
    email: meganb@example.com
  - id: user-id-2
    name: Adele Vance
    userPrincipleName: adelev@example.com
    aadObjectId: 00000000-0000-0000-0000-000000000022
    givenName: Adele
    surname: Vance
    email: adelev@example.com
  - id: user-id-3
    name: Isaiah Langer
    userPrincipleName: isaiahl@example.com
    aadObjectId: 00000000-0000-0000-0000-000000000023
    givenName: Isaiah
    surname: Langer
    email: isaiahl@example.com
  - id: user-id-4
    name: Patti Fernandez
    userPrincipleName: pattif@example.com
    aadObjectId: 00000000-0000-0000-0000-000000000024
    givenName: Patti
    surname: Fernandez
    email: pattif@example.com
  - id: user-id-5
    name: Lynne Robbins
    userPrincipleName: lynner@example.com
    aadObjectId: 00000000-0000-0000-0000-000000000025
    givenName: Lynne
    surname: Robbins
    email: lynner@example.com
personalChat:
  id: ${randomUUID()}
groupChat:
  id: ${randomUUID()}
  name: Group Chat
team:
  id: team-id
  name: My Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-announcements-id
      name: Announcements
`;
}

/** The Playground user's aadObjectId in these config files: a GUID, so COORDINATOR_IDS can name it. */
export const PLAYGROUND_USER_AAD_ID = '00000000-0000-0000-0000-000000000020';
