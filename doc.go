// Package aistats is a typed client for the AI Stats (Phaseo) key-management
// API: list, create, inspect, update, rotate and delete the API keys your
// services and customers use, and the management keys that govern them.
//
// A client speaks API version 2026-07, the hosted service's, by default:
//
//	client, err := aistats.NewClient() // reads AI_STATS_API_KEY (a phaseo_v1_mk_… management key)
//	if err != nil {
//		return err
//	}
//	for key, err := range client.APIKeys.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(key) // aistats.APIKey{ID: …, Name: "CI pipeline", Status: active, Limit: $25/monthly, …}
//	}
//
// client.APIKeys manages API keys (USD limits, soft delete, rotation);
// client.Keys manages management keys, the credentials of this API. A
// client given an aistats_… key, or WithAPIVersion(APIVersionMarch2026),
// speaks 2026-03 instead, as deployments from before 2026-04-29 do: there
// client.Keys works unchanged and client.APIKeys returns an error matching
// errors.ErrUnsupported.
//
// Every call takes a context and retries transient failures safely: a call
// that mints a key (Create, Rotate) is never repeated once it may have
// reached the server, and fails with an error matching ErrUnknownOutcome
// instead. A non-2xx answer is an *APIError, matchable with errors.Is
// against ErrNotFound, ErrForbidden and the other sentinels; bad input is
// a *ValidationError naming the field, before any request.
//
// One call's retries, attempt timeout and extra headers can be changed, and
// its raw response captured, with WithCallOptions on its context. Every
// request the SDK sends carries a CallInfo (CallInfoFromContext) naming the
// call, for a RoundTripper given through WithHTTPClient; the module
// github.com/ai-stats/aistats-go/otel is such a RoundTripper, making one
// OpenTelemetry span per attempt.
//
// Secrets stay secret: a new key's plaintext is a Secret, redacted under
// every fmt verb, slog and encoding/json (Reveal reads it). Error strings
// and log records never show the client's own key or any AI Stats or
// Phaseo key a server sends back (the String methods mask the latter too),
// and server text in them is always one printable line. Package aistatstest
// is an in-memory fake of both API versions for your tests (aistatstest.NewClient).
package aistats
