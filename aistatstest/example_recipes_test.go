package aistatstest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"gopkg.in/h2non/gock.v1"
)

// The four recipes of README "Testing your code", runnable. Examples have
// no *testing.T, so exampleT stands in for the t of a test: NewClient
// calls only its Helper, Cleanup and Fatalf.

type exampleTB struct {
	testing.TB // nil: NewClient uses only the methods below
	cleanups   []func()
}

func exampleT() *exampleTB                           { return &exampleTB{} }
func (*exampleTB) Helper()                           {}
func (t *exampleTB) Cleanup(f func())                { t.cleanups = append(t.cleanups, f) }
func (*exampleTB) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }
func (t *exampleTB) finish() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// Recipe 1, the fake client: one setup line. The fake speaks 2026-07 and
// records what your code did.
func ExampleNewClient() {
	t := exampleT() // in a test: its t
	defer t.finish()

	client, srv := aistatstest.NewClient(t) // setup: 1 line

	// Your code:
	created, err := client.APIKeys.Create(context.Background(), &aistats.CreateAPIKeyParams{Name: "CI", Limit: aistats.Ptr(25.0)})
	if err != nil {
		log.Fatal(err)
	}

	stored, _ := srv.APIKeyByID(created.ID)
	fmt.Println(stored.Name, *stored.Limit, stored.LimitReset, len(srv.Requests()))
	// Output: CI 25 monthly 1
}

// Recipe 1 on 2026-03, for code that talks to a deployment of that era.
func ExampleNewClient_march2026() {
	t := exampleT()
	defer t.finish()

	client, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // setup: 1 line

	created, err := client.Keys.Create(context.Background(), &aistats.CreateKeyParams{Name: "CI", Scopes: aistats.Scopes{"read"}})
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := srv.Key(created.ID)
	fmt.Println(client.APIVersion(), stored.Name, stored.Scopes)
	// Output: 2026-03 CI read
}

// Faults on the fake client: each paired with a call that retries it, and
// a mint (Create, Rotate) that cannot be retried once the request may
// have reached the server.
func ExampleNewClient_faults() {
	t := exampleT()
	defer t.finish()
	client, srv := aistatstest.NewClient(t)
	ctx := context.Background()

	srv.Inject(aistatstest.ServiceUnavailable(1)) // a 503: List retries it
	_, err := client.APIKeys.List(ctx, nil)
	fmt.Println("list:", err)

	srv.Inject(aistatstest.RateLimited(1, "0")) // a 429 applied nothing: even Create retries it
	created, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "CI"})
	fmt.Println("create:", err)

	srv.Inject(aistatstest.ServiceUnavailable(1)) // a 503 after a possible send: Rotate does not retry
	_, err = client.APIKeys.Rotate(ctx, created.ID, nil)
	fmt.Println("rotate:", errors.Is(err, aistats.ErrUnknownOutcome), errors.Is(err, aistats.ErrServer))

	for _, r := range srv.Requests() {
		fmt.Printf("#%d %s %s fault=%q\n", r.N, r.Method, strings.Replace(r.Path, created.ID, "{id}", 1), r.Fault)
	}
	// Output:
	// list: <nil>
	// create: <nil>
	// rotate: true true
	// #1 GET /v1/keys fault="respond 503"
	// #2 GET /v1/keys fault=""
	// #3 POST /v1/keys fault="respond 429"
	// #4 POST /v1/keys fault=""
	// #5 POST /v1/keys/{id}/rotate fault="respond 503"
}

// Recipe 2, the in-memory transport under your own *http.Client
// (middleware, tracing): two setup lines.
func ExampleServer_Transport() {
	t := exampleT()
	defer t.finish()

	_, srv := aistatstest.NewClient(t)             // setup 1: the fake
	hc := &http.Client{Transport: srv.Transport()} // setup 2: wrap it in your middleware here
	srv.SeedAPIKeys(2)

	// Your code builds its client with your *http.Client:
	client, err := aistats.NewClient(aistats.WithBaseURL(srv.URL), aistats.WithAPIKey(srv.ManagementKey), aistats.WithHTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.APIKeys.List(context.Background(), nil)
	fmt.Println(len(page.Keys), page.Total, err)
	// Output: 2 2 <nil>
}

// Recipe 3, gock: one line per mocked call, the body rendered from a
// typed value by the fake's own code, plus defer gock.Off(). gock replaces
// http.DefaultTransport, which a client made without WithHTTPClient uses
// as it is. gock is global: no t.Parallel in such tests.
func ExampleBody() {
	// Your production client, made without WithHTTPClient. Short retry
	// waits: gock answers an unmatched request with an error, which is retried.
	client, err := aistats.NewClient(aistats.WithAPIKey("phaseo_v1_mk_test"), aistats.WithBaseURL(aistats.DefaultBaseURL),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	const id = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"

	defer gock.Off()                                                                                                             // setup 1
	gock.New(aistats.DefaultBaseURL).Get("/v1/keys/" + id).Reply(200).JSON(aistatstest.Body(aistats.APIKey{ID: id, Name: "CI"})) // setup 2: one per call
	gock.New(aistats.DefaultBaseURL).Delete("/v1/keys/" + id).Reply(404).JSON(aistatstest.Body(&aistats.APIError{Code: "not_found", Message: "API key not found"}))

	key, err := client.APIKeys.Get(context.Background(), id) // your code
	fmt.Println(key.Name, err)
	err = client.APIKeys.Delete(context.Background(), id)
	fmt.Println(errors.Is(err, aistats.ErrNotFound), gock.IsDone())
	// Output:
	// CI <nil>
	// true true
}

// Recipe 3 with your own *http.Client: tell gock about it (its Transport
// must not be nil, or gock's pass-through panics). A 503, then the page:
// List retries.
func ExampleBody_ownHTTPClient() {
	hc := &http.Client{Transport: http.DefaultTransport}
	gock.InterceptClient(hc)
	defer gock.RestoreClient(hc)
	client, err := aistats.NewClient(aistats.WithAPIKey("phaseo_v1_mk_test"), aistats.WithBaseURL(aistats.DefaultBaseURL),
		aistats.WithHTTPClient(hc), aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}

	defer gock.Off()
	gock.New(aistats.DefaultBaseURL).Get("/v1/management-keys").Reply(503).JSON(aistatstest.Body(&aistats.APIError{Code: "service_unavailable", Message: "busy"}))
	gock.New(aistats.DefaultBaseURL).Get("/v1/management-keys").MatchParam("limit", "^10$").Reply(200).JSON(aistatstest.Body(aistats.KeyPage{Keys: []*aistats.Key{{ID: "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40", Name: "terraform"}}}))

	page, err := client.Keys.List(context.Background(), &aistats.ListKeysOptions{Limit: 10})
	fmt.Println(len(page.Keys), page.Keys[0].Name, page.Limit, err, gock.IsDone())
	// Output: 1 terraform 10 <nil> true
}

// Recipe 3 on 2026-03: BodyFor renders that version's envelopes.
func ExampleBodyFor() {
	client, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_test"), aistats.WithBaseURL(aistats.DefaultBaseURL),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	const id = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	key := aistats.Key{ID: id, Name: "legacy", Status: aistats.KeyStatusActive, Scopes: aistats.Scopes{"read"}}

	defer gock.Off()
	gock.New(aistats.DefaultBaseURL).Get("/v1/management/keys/" + id).Reply(200).JSON(aistatstest.BodyFor(aistats.APIVersionMarch2026, key))

	got, err := client.Keys.Get(context.Background(), id)
	fmt.Println(got.Name, got.Scopes, err)
	// Output: legacy read <nil>
}

// Recipe 4, an interface stub: one line. Methods left nil reach the
// Fallback, here the fake client's.
func ExampleAPIKeysStub() {
	t := exampleT()
	defer t.finish()
	client, _ := aistatstest.NewClient(t)
	boom := errors.New("boom")

	stub := &aistatstest.APIKeysStub{Fallback: client.APIKeys, CreateFunc: func(context.Context, *aistats.CreateAPIKeyParams) (*aistats.CreatedAPIKey, error) { return nil, boom }} // setup: 1 line

	// Your code takes an aistats.APIKeysAPI:
	var keys aistats.APIKeysAPI = stub
	_, err := keys.Create(context.Background(), &aistats.CreateAPIKeyParams{Name: "CI"})
	fmt.Println(err)
	page, err := keys.List(context.Background(), nil) // served by the Fallback
	fmt.Println(len(page.Keys), err)
	// Output:
	// boom
	// 0 <nil>
}

// Recipe 4 for management keys, with no Fallback: the methods left nil
// fail with an error naming the stub and the method.
func ExampleKeysStub() {
	stub := &aistatstest.KeysStub{GetFunc: func(_ context.Context, id string) (*aistats.Key, error) {
		return &aistats.Key{ID: id, Name: "terraform"}, nil
	}} // setup: 1 line

	var keys aistats.KeysAPI = stub // your code takes an aistats.KeysAPI
	key, err := keys.Get(context.Background(), "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
	fmt.Println(key.Name, err)
	err = keys.Delete(context.Background(), key.ID)
	fmt.Println(errors.Is(err, aistatstest.ErrNotStubbed), err)
	// Output:
	// terraform <nil>
	// true aistatstest: KeysStub.Delete: method not stubbed: set DeleteFunc or Fallback
}
