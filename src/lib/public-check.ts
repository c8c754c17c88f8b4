// Type-level check (never run): the implementation gives what src/lib/public.d.ts promises, member
// for member. `tsc --noEmit` fails here when they drift apart.
import type * as Declared from "./public.d.ts";
import type * as Implemented from "./index.ts";
import type { ErrorCode } from "../errors.ts";

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
  // Every code the product has is declared (a new one in src/errors.ts fails here until it is).
  Assert<Fits<ErrorCode, Declared.SessionErrorCode>>,
];

// The documents the library declares (types.ts, self-contained so the published declarations need
// nothing else) are the client's, key for key: neither side can change without the other.
import type * as Lib from "./types.ts";
import type { SessionStatusDoc } from "../client/describe.ts";
import type { EndResult } from "../client/end.ts";
import type { KeysDoc } from "../client/keys.ts";
import type { ListEntry } from "../client/list.ts";
import type { ReadDoc } from "../client/read.ts";
import type { ResizeDoc } from "../client/resize.ts";
import type { Screen } from "../client/screen.ts";
import type { InteractionResult } from "../client/send.ts";
import type { StartResult } from "../client/start.ts";
import type { StartedAndWaited } from "../client/start-wait.ts";
import type { WaitDoc } from "../client/wait.ts";
import type { WriteDoc } from "../client/write.ts";
import type { ExecDoc } from "../client/exec.ts";
import type { DialogueResult } from "../client/dialogue.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type DocumentChecks = [
  Assert<Same<Lib.StatusDoc, SessionStatusDoc>>,
  Assert<Same<Lib.EndDoc, EndResult>>,
  Assert<Same<Lib.KeysDoc, KeysDoc>>,
  Assert<Same<Lib.ListEntry, ListEntry>>,
  Assert<Same<Lib.ReadDoc, Omit<ReadDoc, "truncated">>>,
  Assert<Same<Lib.ResizeDoc, ResizeDoc>>,
  Assert<Same<Lib.ScreenDoc, Screen & { session_id: string }>>,
  Assert<Same<Lib.SendReply, InteractionResult>>,
  Assert<Same<Lib.DialogueReply, DialogueResult>>,
  Assert<Same<Lib.WaitDoc, WaitDoc>>,
  Assert<Same<Lib.WriteDoc, WriteDoc>>,
  Assert<Same<Lib.ExecDoc, Omit<ExecDoc, "truncated" | "omitted_bytes"> & { exitCode: number | null }>>,
  Assert<Fits<StartResult, Lib.StartDoc>>,
  Assert<Fits<StartedAndWaited, Lib.StartDoc>>,
];
