import assert from 'node:assert/strict';

/**
 * Asserts that an answer shows a text from the texts module (src/texts), e.g.
 * `assertShows(cardText(reply), sv.help.title)`: tests follow the wording instead of copying it.
 */
export function assertShows(shown: string, expected: string, message?: string): void {
  if (!shown.includes(expected))
    assert.fail(
      `${message ? `${message}: ` : ''}expected the answer to show ${JSON.stringify(expected)}; it shows:\n${shown.slice(0, 2000)}`,
    );
}

export function assertDoesNotShow(shown: string, unexpected: string, message?: string): void {
  if (shown.includes(unexpected))
    assert.fail(`${message ? `${message}: ` : ''}expected the answer not to show ${JSON.stringify(unexpected)}`);
}
