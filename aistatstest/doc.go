// Package aistatstest is the test kit of the aistats SDK: an in-memory
// fake of the AI Stats (Phaseo) key-management API, wire bodies rendered
// from typed values, and interface stubs. Each recipe takes a line or two
// of setup (README "Testing your code"; each is a runnable Example).
//
// The fake client, one line: a fake on the default version, 2026-07, and
// a client for it, served in memory (no listener, no socket, so tests may
// call t.Parallel freely), closed by t.Cleanup:
//
//	client, srv := aistatstest.NewClient(t)
//	srv.SeedAPIKeys(3)                            // api-key-0001 … api-key-0003
//	srv.Inject(aistatstest.ServiceUnavailable(1)) // the next request gets a 503
//	page, err := client.APIKeys.List(ctx, nil)    // retried in milliseconds, then 3 keys
//	reqs := srv.Requests()                        // 2 requests, Authorization redacted
//	k, ok := srv.APIKeyByID(page.Keys[0].ID)      // the stored state
//
// srv.URL is the base URL (with /v1) that srv.Transport() and
// srv.HTTPClient() answer, for raw requests or a client of your own
// (aistats.WithHTTPClient). srv.ManagementKey is the server's credential,
// a full-control management key; MintKey makes narrower ones. NewServer
// serves the same fake on a loopback listener, for tests that need a real
// socket.
//
// Body and BodyFor return the JSON the server sends for an aistats.APIKey,
// Key, a page, a created or rotated key or an *aistats.APIError, rendered
// by the fake's own code, for gock, httpmock or a hand-written handler:
//
//	gock.New(base).Get("/v1/keys/" + key.ID).Reply(200).JSON(aistatstest.Body(key))
//
// APIKeysStub and KeysStub implement aistats.APIKeysAPI and
// aistats.KeysAPI with one function field per method and a Fallback.
//
// A Server speaks one API generation:
//
//   - 2026-07, the default and what the hosted service answers:
//     /v1/management-keys (management keys, the API's own credentials)
//     and /v1/keys (inference API keys, plus POST /v1/keys/{id}/rotate),
//     {"data": …} envelopes, authenticated with a phaseo_v1_mk_ management
//     key whose capability scopes each route checks. As on the live
//     server, a workspace holds at most DefaultKeyLimit keys (API and
//     management keys together, the server's own included); seeding is
//     exempt and WithKeyLimit moves the limit.
//   - 2026-03, selected with WithAPIVersion(aistats.APIVersionMarch2026):
//     /v1/management/keys with {"ok": …} envelopes, authenticated with an
//     aistats_v1_sk_ key, and no key limit.
//
// The fake reproduces the server's observable behaviour byte for byte where
// clients can see it. On 2026-07: pretty-printed bodies with Cache-Control:
// no-store, the guard's compact 401 with its reason, 403 insufficient_scope
// per route and for scopes a key cannot grant, validation in the server's
// order with its messages, management-key templates, the PATCH quirks
// ({"expires_at": null} changes nothing, raw camelCase limit fields),
// management keys deleted for good and API keys left as tombstones that
// GET by id still finds (the hash is rewritten to deleted:<id>, so GET by
// the original hash answers 404), lookup by id or hash, include_disabled
// and total_count,
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
// fault. Over the in-memory Transport faults fail as they do on a socket:
// a drop is a transport error, a truncated body ends early, a Slow fault
// holds the request until its context ends.
//
// Not modelled: OAuth (JWTs and delegated keys are told a management key
// is required), POST /v1/keys/{id}/invalidate and GET /v1/key, usage
// fields, and the 409s of servers newer than the contract's snapshot.
package aistatstest
