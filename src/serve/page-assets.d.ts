// The page's files are imported as text (assets.ts, `with { type: "text" }`).
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "@xterm/xterm/lib/xterm.js" {
  const text: string;
  export default text;
}
declare module "*/page/page.js" {
  const text: string;
  export default text;
}
