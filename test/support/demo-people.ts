import { demoPeople } from '../../core';

/** Someone on the demo board, as a test signs in and gives credit as them. */
export type DemoPerson = { userId: string; name: string };

function person(index: number): DemoPerson {
  const { userId, name } = demoPeople()[index];
  return { userId, name };
}

// The demo board's people the browser tests speak as: Maya is its lead, the others members.
export const MAYA = person(0);
export const ANA = person(1);
export const BEN = person(2);
export const FARID = person(6);
export const GRACE = person(7);
export const ISABEL = person(9);
export const JONAS = person(10);
export const KEMI = person(11);
