// The holder's configuration type, for the holder's own modules (the contract is protocol/launch.ts).
export type { HolderConfig } from "../protocol/launch.ts";
