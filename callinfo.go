package aistats

import "context"

// CallInfo says which SDK call an HTTP request belongs to. It is on the
// context of every request the SDK sends, so a RoundTripper given through
// WithHTTPClient (a tracer, a metrics wrapper) can read it with
// CallInfoFromContext. It holds no id, query value or credential.
type CallInfo struct {
	// Operation is the service and method called: "Keys.Get",
	// "APIKeys.Rotate". The pages of All and Pages are "Keys.List" and
	// "APIKeys.List" (each is a List request); the read-back Get of Update
	// on API version 2026-03 is "Keys.Update".
	Operation string
	// Method is the HTTP method: "GET", "POST", "PATCH", "DELETE".
	Method string
	// URLTemplate is the request path with ids replaced by "{id}",
	// including the path of the base URL: "/v1/keys/{id}",
	// "/v1/management-keys", "/v1/keys/{id}/rotate"; on API version
	// 2026-03 "/v1/management/keys/{id}". It has no scheme, host or query.
	URLTemplate string
	// Attempt is 1 for the first attempt, 2 for the first retry, and so on.
	Attempt int
}

// callInfoKey finds the attempt's context, which knows its attempt number
// and reaches the call: no CallInfo is stored, so an attempt allocates
// nothing for it.
type callInfoKey struct{}

// CallInfoFromContext returns the CallInfo of the request whose context
// ctx is (or derives from), and false for a context not made by the SDK
// for a request.
func CallInfoFromContext(ctx context.Context) (CallInfo, bool) {
	if ctx == nil {
		return CallInfo{}, false
	}
	a, ok := ctx.Value(callInfoKey{}).(*attemptCtx)
	if !ok {
		return CallInfo{}, false
	}
	call := callFrom(a.parent)
	if call == nil {
		return CallInfo{}, false
	}
	// Fields set before the call's first attempt and never changed.
	return CallInfo{Operation: call.operation, Method: call.method, URLTemplate: call.urlTemplate, Attempt: a.attempt}, true
}
