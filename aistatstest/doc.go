// Package aistatstest is an in-memory fake of the AI Stats (Phaseo)
// key-management API for tests, in the spirit of net/http/httptest. A
// Server speaks one API generation:
//
//   - 2026-07, the default and what the hosted service answers:
//     /v1/management-keys (management keys, the API's own credentials)
//     and /v1/keys (inference API keys, plus POST /v1/keys/{id}/rotate),
//     {"data": …} envelopes, authenticated with a phaseo_v1_mk_ management
//     key whose capability scopes each route checks.
//   - 2026-03, selected with WithAPIVersion(aistats.APIVersionMarch2026):
//     /v1/management/keys with {"ok": …} envelopes, authenticated with an
//     aistats_v1_sk_ key.
//
// A 2026-07 test calls the API over HTTP with Server.APIKey, a
// full-control management key, or with narrower keys from MintKey:
//
//	srv := aistatstest.NewServer()
//	defer srv.Close()
//	seeded := srv.SeedAPIKeys(3) // api-key-0001 … api-key-0003
//	reader := srv.MintKey(aistatstest.KeySpec{Scopes: `["keys:read"]`})
//	req, _ := http.NewRequest("GET", srv.URL+"/keys", nil)
//	req.Header.Set("Authorization", "Bearer "+reader.Secret.Reveal())
//	res, err := srv.HTTPClient().Do(req)         // 200, {"data":[…],"total_count":3}
//	k, ok := srv.APIKeyByID(seeded[0].ID)        // the stored state
//
// Through the SDK, which for now speaks 2026-03 only:
//
//	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026))
//	defer srv.Close()
//	srv.SeedKeys(3)                               // key-0001 … key-0003
//	srv.Inject(aistatstest.ServiceUnavailable(2)) // the next two requests get 503
//	client, err := srv.Client()                   // aistats.Client for srv.URL, srv.APIKey and the version
//	page, err := client.Keys.List(ctx, nil)       // retried twice, then succeeds
//	reqs := srv.Requests()                        // 3 requests, Authorization redacted
//	k, ok := srv.Key(page.Keys[0].ID)             // the stored state
//
// The fake reproduces the server's observable behaviour byte for byte where
// clients can see it. On 2026-07: pretty-printed bodies with Cache-Control:
// no-store, the guard's compact 401 with its reason, 403 insufficient_scope
// per route and for scopes a key cannot grant, validation in the server's
// order with its messages, management-key templates, the PATCH quirks
// ({"expires_at": null} changes nothing, raw camelCase limit fields),
// management keys deleted for good and API keys left as tombstones that
// GET still finds, lookup by id or hash, include_disabled and total_count,
// and 500s where the server's catch blocks answer them. On 2026-03:
// {"ok": …} envelopes, scopes stored verbatim, PATCH answering without the
// key, DELETE answering 200 then 404, and a 500 for ids that are not
// UUIDs. Both: Hono's text/plain 404 for unknown routes, wrong methods and
// trailing slashes, limit/offset parsing with JavaScript Number semantics,
// PostgREST timestamps, and CORS.
//
// Faults (Inject) make requests fail on purpose on either version: canned
// answers, dropped connections before or after the change is applied, slow
// or truncated responses, and list endpoints that ignore offset or report
// a zero total. Each fault applies to Fault.Times requests (1 by default),
// so a retrying client always gets through; Times -1 opts into a permanent
// fault.
//
// Not modelled: OAuth (JWTs and delegated keys are told a management key
// is required), POST /v1/keys/{id}/invalidate and GET /v1/key, usage
// fields, and the 409s of servers newer than the contract's snapshot.
package aistatstest
