// `session.exited`: a promise whose work (a connection that waits for the program's exit) starts
// only when somebody awaits it or calls then/catch/finally. A program that never asks is not kept
// alive by a session it merely holds.
export class LazyExit<T> implements Promise<T> {
  private started: Promise<T> | null = null;
  readonly [Symbol.toStringTag] = "Promise";

  constructor(private readonly begin: () => Promise<T>) {}

  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.promise().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.promise().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.promise().finally(onFinally);
  }

  private promise(): Promise<T> {
    this.started ??= this.begin();
    return this.started;
  }
}
