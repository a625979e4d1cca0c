import { describe, expect, it } from 'vitest';
import { StoreContact } from '../../src/runner/store-contact.js';

/** A contact on a clock the test moves; beats every second, so silence past 2 s breaks it. */
function contactAt(start: number): { contact: StoreContact; advance: (ms: number) => void } {
  let now = start;
  return { contact: new StoreContact(2000, () => now), advance: (ms) => (now += ms) };
}

describe('StoreContact', () => {
  it('counts as unbroken from the start while every beat is answered', () => {
    const { contact, advance } = contactAt(1_000_000);
    for (let i = 0; i < 5; i++) {
      advance(1000);
      contact.answered();
    }
    expect(contact.unbrokenForMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('a failed call breaks the contact, and the next answer starts it again', () => {
    const { contact, advance } = contactAt(0);
    contact.answered();
    contact.failed();
    advance(30_000);
    expect(contact.unbrokenForMs()).toBe(0);
    contact.answered();
    advance(1500);
    expect(contact.unbrokenForMs()).toBe(1500);
  });

  it('a silence longer than the limit breaks the contact even when no call failed (a hung call, a suspended process)', () => {
    const { contact, advance } = contactAt(0);
    contact.answered();
    advance(30_000);
    contact.answered();
    advance(500);
    expect(contact.unbrokenForMs()).toBe(500);
  });
});
