// Every timeout, limit and environment variable name delta-sessions uses, in one place.

/** Version of the holder <-> client JSON-lines protocol. Bump on any incompatible change. */
export const PROTOCOL_VERSION = 1;

// ---- Environment variables -------------------------------------------------------------

/** Overrides the sessions directory (metadata). `--sessions-dir` wins over it. */
export const ENV_SESSIONS_DIR = "DELTA_SESSIONS_DIR";
/** The library's path to the delta-sessions executable that `start` runs as the holder. */
export const ENV_BIN = "DELTA_SESSIONS_BIN";
/** The sessions directory's name, looked for in the working directory and then above it. */
export const DEFAULT_SESSIONS_DIR_NAME = ".sessions";
/** Overrides the per-user runtime directory that holds the sockets. */
export const ENV_RUNTIME_DIR = "DELTA_SESSIONS_RUNTIME_DIR";
/** The machine every command runs on (`--host` wins over it): [USER@]HOST[:PORT], docker:NAME, podman:NAME. */
export const ENV_HOST = "DELTA_SESSIONS_HOST";
/** Internal: the holder's start-up configuration (JSON). Never passed on to the child. */
export const ENV_HOLDER_CONFIG = "DELTA_SESSIONS_HOLDER_CONFIG";
/** Bun variables scrubbed from the holder's and child's environment (SPEC §1). */
export const SCRUBBED_ENV_NAMES = ["BUN_OPTIONS", "BUN_BE_BUN"];
export const SCRUBBED_ENV_PREFIXES = ["BUN_FEATURE_FLAG_"];
/**
 * The holder's own Bun runtime settings (never its child's). Bun's repeating GC timer wakes every
 * idle process each second for a while after any activity, then every 30 s, forever; the holder
 * collects once when its session falls quiet instead (holder/quiet-gc.ts), so idle means no wake-ups.
 */
export const HOLDER_RUNTIME_ENV: Readonly<Record<string, string>> = { BUN_GC_TIMER_DISABLE: "1" };

// ---- Defaults ----------------------------------------------------------------------------

export const DEFAULT_COLS = 120;
export const DEFAULT_ROWS = 30;
/** Output ring buffer: the last 1 MiB of output is kept per session. */
export const DEFAULT_BUFFER_SIZE = 1024 * 1024;
/** Child's TERM unless `--env TERM=...` says otherwise. */
export const DEFAULT_TERM = "xterm-256color";
/** `read`: output counts as settled after this much quiet. */
export const DEFAULT_IDLE_MS = 200;
/** `end`: SIGKILL whatever is left this long after the first signal. */
export const DEFAULT_END_GRACE_MS = 2000;
/** Lines of history the screen emulator keeps for `read --screen --scrollback N` (each 120-column
 *  line costs about 3 KB in the emulator; tmux keeps 2000 by default). */
export const SCREEN_SCROLLBACK_LINES = 1000;
/** Output chunks up to this size are parsed at once when nothing is held back (echo, prompts,
 *  terminal queries): see holder/parse-backlog.ts. */
export const SCREEN_INLINE_PARSE_BYTES = 4 * 1024;
/** Bulk output is parsed once the program has paused this long… */
export const SCREEN_PARSE_IDLE_MS = 5;
/** …this much at a time, between other work… */
export const SCREEN_PARSE_SLICE_BYTES = 256 * 1024;
/** …and as it comes past this much unparsed output that cannot be skipped (plain text that has
 *  scrolled away is: holder/skip-plain.ts); beyond it the program runs at the emulator's pace, held
 *  back as a real terminal holds it back. It bounds the holder's memory during a flood, and how
 *  long a `read --screen` may wait for the emulator to catch up. */
export const SCREEN_BACKLOG_MAX_BYTES = 1024 * 1024;
/** Held-back output from which plain text that has scrolled away is skipped as it comes. */
export const SCREEN_SKIP_MIN_BYTES = 64 * 1024;

// ---- Limits ------------------------------------------------------------------------------

/** Largest protocol line accepted; a longer one is refused without being buffered whole. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Bounds of values a user may pass. */
export const MIN_BUFFER_SIZE = 1024;
export const MAX_BUFFER_SIZE = 1024 * 1024 * 1024;
export const MAX_COLS = 1000;
export const MAX_ROWS = 1000;
/** Largest timeout accepted (about 24 days: the largest a JS timer can hold). */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Bytes of output carried per protocol message when streaming (keeps lines and memory small). */
export const STREAM_CHUNK_BYTES = 256 * 1024;
/** Input handed to the PTY without a drain report from Bun's writer before a write waits for one. */
export const INPUT_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Longest a write waits for that drain report (Bun does not report every flush). */
export const INPUT_DRAIN_WAIT_MS = 1000;
/** An attached terminal this far behind (bytes queued for it in the holder) stops getting the
 *  stream and gets a redraw of the current screen once it has caught up, as tmux does. */
export const ATTACH_MAX_BACKLOG_BYTES = 1024 * 1024;
/** A recording whose disk falls this far behind (bytes queued in the holder) is stopped. */
export const RECORDING_MAX_BACKLOG_BYTES = 64 * 1024 * 1024;
/** Replies queued for one client beyond which the holder stops streaming output to it until it
 *  reads (the rest stays in the ring buffer): a slow client never makes the holder buffer more.
 *  A reader may so lag up to the ring's size plus this before it loses (and is told of) bytes. */
export const OUTPUT_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** `read --until`: characters of earlier output a pattern is matched against with each new chunk. */
export const UNTIL_WINDOW_CHARS = 64 * 1024;
/** Bytes of input the client sends per protocol message in a large write. */
export const WRITE_CHUNK_BYTES = 1024 * 1024;

// ---- Input-wait detection (holder/input-wait) ---------------------------------------------

/** Processes walked below the session's program to find its terminal's foreground group. */
export const INPUT_WAIT_MAX_PROCESSES = 4096;
/** pollfd entries read from a program's memory for one poll/ppoll (8 bytes each). */
export const INPUT_WAIT_MAX_POLL_FDS = 4096;
/** fds of a select/pselect read set looked at (the set is read as nfds / 8 bytes). */
export const INPUT_WAIT_MAX_SELECT_FDS = 65_536;
/** Levels of epoll instances looked into when an epoll set watches another epoll instance. */
export const INPUT_WAIT_MAX_EPOLL_DEPTH = 2;

// ---- Timeouts ----------------------------------------------------------------------------

/** How long `start` waits for the holder's readiness report before giving up (a holder that fails
 *  reports at once; this only bounds a hung one, so it leaves room for 200 starts at once on 2 cores). */
export const HOLDER_READY_TIMEOUT_MS = 30_000;
/** How long a client waits for a holder's hello after connecting. */
export const HELLO_TIMEOUT_MS = 5_000;
/** While waiting for the hello, how often to look whether the holder is stopped (it cannot answer
 *  until resumed, so waiting out HELLO_TIMEOUT_MS would only delay the answer "unresponsive"). */
export const HELLO_STOPPED_CHECK_MS = 150;
/** After the child exits, how long the holder waits for the PTY to drain (EOF) before storing
 *  the final state: a background job that keeps the terminal open must not keep the holder. */
export const EXIT_DRAIN_TIMEOUT_MS = 500;
/** How long `attach` waits for the holder to confirm a detach before leaving anyway. */
export const ATTACH_DETACH_TIMEOUT_MS = 2_000;
/** After `end` or SIGTERM killed the child, how long the holder waits for it to be reaped. */
export const REAP_TIMEOUT_MS = 5_000;

// ---- exec ------------------------------------------------------------------------------------

/** exec: how long to wait for the shell's prompt when a line was submitted (a `write` with Enter)
 *  since the last one, or a foreground job runs, before clearing the line with Ctrl-C or
 *  answering BUSY. */
export const EXEC_PROMPT_WAIT_MS = 1_000;
/** exec --kill-on-timeout: how long to wait for the prompt after the Ctrl-C. */
export const EXEC_INTERRUPT_WAIT_MS = 2_000;
/** exec on an unfinished command line: how long to wait for the shell's prompt after exec's own
 *  Ctrl-C (or, before the session's first prompt mark, for its first mark) before answering BUSY. */
export const EXEC_CLEAN_WAIT_MS = 2_000;
/** exec before the session's first prompt mark: output quiet this long after a Ctrl-C or Enter
 *  means the shell has redrawn its prompt (nothing else can tell before the marks exist). */
export const EXEC_QUIET_MS = 60;
/** exec shows the command it runs to whoever watches the session (exec/show.ts): at most this many
 *  lines and characters of it, so a huge command sent on stdin does not flood the screen. */
export const EXEC_SHOW_MAX_LINES = 200;
export const EXEC_SHOW_MAX_CHARS = 16_384;
/** The holder collects its garbage once its session has been quiet this long (holder/quiet-gc.ts). */
export const QUIET_GC_DELAY_MS = 3_000;
/** …and every this long while its session never falls quiet (a flood). */
export const BUSY_GC_EVERY_MS = 2_000;

// ---- mcp -------------------------------------------------------------------------------------

/** `mcp --max-wait-ms`: longest one tool call waits, below the 60 s request timeout common MCP
 *  clients use, so that a long wait ends with reason "timeout" and the output so far. */
export const MCP_DEFAULT_MAX_WAIT_MS = 55_000;
/** `mcp --max-output-bytes`: output one tool result carries at most (64 KiB; a model's context is
 *  precious, and the offsets in the result say where to continue). */
export const MCP_DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
/** The MCP `send` and `start` tools: how long they wait for the program by default (SPEC §10). */
export const MCP_SEND_DEFAULT_TIMEOUT_MS = 30_000;
// ---- Input-wait detection (SPEC §10) --------------------------------------------------------
// The kernel's view is checked only while somebody waits (send, start --wait, read --until-input,
// wait --input, status): an idle session keeps no timer. Together these answer within about
// SETTLE + CONFIRM + one check (≈ 10 ms) of the program starting to wait; the target is 30 ms.

/** How often the kernel's view is checked while somebody waits and nothing else is due sooner. */
export const INPUT_WAIT_POLL_MS = 4;
/** Output must have been quiet this long: a program that prints its prompt in pieces, or whose
 *  bytes are still crossing the PTY (the kernel moves them to our side asynchronously), is not
 *  yet waiting as far as a reply is concerned. */
export const INPUT_WAIT_SETTLE_MS = 5;
/** A positive check counts only when a second one this much later agrees with no output in
 *  between: the event loop has had its turns to take in whatever the PTY still held. */
export const INPUT_WAIT_CONFIRM_MS = 3;
/** After input, the program is not taken to wait again until it reacted (output, or it was seen
 *  busy); input it takes without a visible reaction counts as taken after this long. */
export const INPUT_WAIT_REACTION_MS = 100;
/** A wait on the terminal limited to this long or less is brief: it counts as waiting for the user
 *  only once the program, with no output, is still waiting on the terminal after the limit ran out
 *  (a loop of short polls, as python 3.13's REPL does every 100 ms). A single brief wait is a
 *  program awaiting the terminal's answer to a query (vim polls 100 ms before it exits after :wq)
 *  or a key sequence's end (vim's 'ttimeoutlen' after ESC; 'timeoutlen', 1 s, without a vimrc). */
export const INPUT_WAIT_BRIEF_TIMEOUT_MS = 1_000;
/** Inputs remembered (with their output offsets) so that their echo can be recognised. */
export const INPUT_LOG_ENTRIES = 64;
/** Bytes of one input remembered for recognising its echo (the echo of the rest is not taken out). */
export const INPUT_LOG_ENTRY_BYTES = 64 * 1024;
/** `send`: how long to wait for the reply when --timeout is not given. */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

// serve (the browser view, SPEC §13)
/** Address `serve` listens on unless --listen says otherwise: this machine only. */
export const SERVE_DEFAULT_LISTEN = "127.0.0.1";
/** Random bytes of the token every request must carry (base64url in the URL and the cookie). */
export const SERVE_TOKEN_BYTES = 32;
/** How often the page's session list is refreshed while a page shows it (status, input waits). */
export const SERVE_LIST_INTERVAL_MS = 1_000;
/** Output bytes one terminal's page may have unparsed: past it the page's view of a flooding
 *  session is dropped and redrawn once the page caught up, so that other terminals stay live
 *  and nothing (holder, server, page) buffers without limit. */
export const SERVE_TERMINAL_WINDOW_BYTES = 16 * 1024;
/** A terminal that went past its window is shown afresh (a redraw) at most this often: a flood
 *  costs the page, the server and the holder a bounded share, and a person still sees it move. */
export const SERVE_FLOOD_REFRESH_MS = 200;

// ---- Remote machines (--host) ----------------------------------------------------------------

/** The shared ssh connection stays this long after its last use (ssh -o ControlPersist). */
export const SSH_CONTROL_PERSIST_S = 600;
/** ssh gives up connecting after this long (ssh -o ConnectTimeout), unless --ssh-option says otherwise. */
export const SSH_CONNECT_TIMEOUT_S = 10;
/** The remote server stops by itself after this long without a request. */
export const REMOTE_SERVER_IDLE_MS = 600_000;
/** A setup lock (remote/ssh.ts) older than this was left by a caller that died: longer than any
 *  setup takes (connecting, starting the remote server, forwarding). */
export const REMOTE_SETUP_LOCK_STALE_MS = 60_000;
/** The remote server must bind its socket within this long of being started. */
export const REMOTE_SERVER_READY_TIMEOUT_MS = 10_000;
