/** A callback request we refuse, with the HTTP status to answer and a hint for the log. */
export class CallbackRejected extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CallbackRejected';
  }
}
