// The seam for metrics: one optional callback, resolved at startup, told about every
// finished request whether it was sampled or not. Four plain arguments so the hot path builds
// no record object for it.

/**
 * @param route route template (`'/orders/:id'`), or `''` when no route matched (404)
 * @param method HTTP method
 * @param statusCode response status (0 when the client went away before a response)
 * @param durationMs from onRequest to the end of the response, in ms (fractional)
 */
export type RequestObserver = (route: string, method: string, statusCode: number, durationMs: number) => void;
