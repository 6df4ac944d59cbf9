// Package aistatstest is an in-memory fake of the AI Stats Management Keys
// API for tests, in the spirit of net/http/httptest:
//
//	srv := aistatstest.NewServer()
//	defer srv.Close()
//	srv.SeedKeys(3)                               // key-0001 … key-0003
//	srv.Inject(aistatstest.ServiceUnavailable(2)) // the next two requests get 503
//	client, err := srv.Client()                   // aistats.Client for srv.URL and srv.APIKey
//	page, err := client.Keys.List(ctx, nil)       // retried twice, then succeeds
//	reqs := srv.Requests()                        // 3 requests, Authorization redacted
//	k, ok := srv.Key(page.Keys[0].ID)             // the stored state
//
// The fake reproduces the server's observable behaviour byte for byte where
// clients can see it: pretty-printed {"ok": …} envelopes, Hono's text/plain
// 404 for unknown routes and trailing slashes, the auth guard's compact 401,
// limit/offset parsing with JavaScript Number semantics, scopes stored
// verbatim, PATCH answering without the key, DELETE answering 200 then 404,
// and a 500 for ids that are not UUIDs.
//
// Faults (Inject) make requests fail on purpose: canned answers, dropped
// connections before or after the change is applied, slow or truncated
// responses, and a list endpoint that ignores offset or reports a zero
// total. Each fault applies to Fault.Times requests (1 by default), so a
// retrying client always gets through; Times -1 opts into a permanent fault.
//
// Keys created through the API are management keys, which this generation
// of the API does not accept as credentials; only Server.APIKey works.
package aistatstest
