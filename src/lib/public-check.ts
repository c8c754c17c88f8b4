// Type-level check (never run): the implementation gives what src/lib/public.d.ts promises, member
// for member. `tsc --noEmit` fails here when they drift apart.
import type * as Declared from "./public.d.ts";
import type * as Implemented from "./index.ts";

type Instance<C> = C extends abstract new (...args: never[]) => infer I ? I : never;
type Assert<T extends true> = T;
type Fits<A, B> = [A] extends [B] ? true : false;

export type Checks = [
  Assert<Fits<Instance<typeof Implemented.SessionManager>, Declared.SessionManager>>,
  Assert<Fits<Implemented.Session, Declared.Session>>,
  Assert<Fits<Implemented.SessionError, Declared.SessionError>>,
  Assert<Fits<ConstructorParameters<typeof Implemented.SessionManager>, ConstructorParameters<typeof Declared.SessionManager>>>,
  Assert<Fits<keyof Declared.Session, keyof Implemented.Session>>,
  Assert<Fits<keyof Declared.SessionManager, keyof Implemented.SessionManager>>,
];
