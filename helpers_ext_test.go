package aistats_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/require"
)

// The two API versions every matrix runs on.
const (
	march = aistats.APIVersionMarch2026
	july  = aistats.APIVersionJuly2026
)

var bothVersions = []aistats.APIVersion{march, july}

// newFake starts a fake speaking v, closed when the test ends.
func newFake(t *testing.T, v aistats.APIVersion, opts ...aistatstest.ServerOption) *aistatstest.Server {
	t.Helper()
	srv := aistatstest.NewServer(append([]aistatstest.ServerOption{aistatstest.WithAPIVersion(v)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// fakeClient is srv.Client with opts, failing the test on an error.
func fakeClient(t *testing.T, srv *aistatstest.Server, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return c
}

// countMethod counts the requests the fake received with method.
func countMethod(srv *aistatstest.Server, method string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// countPath counts the GET requests the fake received on path (a list route).
func countPath(srv *aistatstest.Server, path string) int {
	return len(requestsTo(srv, path))
}

func requestsTo(srv *aistatstest.Server, path string) []aistatstest.Request {
	var out []aistatstest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// stored counts what the fake holds: management keys and (2026-07) API keys.
func stored(srv *aistatstest.Server) (keys, apiKeys int) {
	keys = len(srv.Keys())
	if srv.APIVersion() == july {
		apiKeys = len(srv.APIKeys())
	}
	return keys, apiKeys
}

// createKeyParams is a valid Keys.Create request for v (2026-07 needs
// scopes or a template; 2026-03 has no templates).
func createKeyParams(v aistats.APIVersion, name string) *aistats.CreateKeyParams {
	p := &aistats.CreateKeyParams{Name: name}
	if v == july {
		p.Template = aistats.KeyTemplateReadOnly
	}
	return p
}

// op is one SDK call on one API version, driven through the retry and
// security matrices.
type op struct {
	name    string // "2026-07/APIKeys.Rotate"
	version aistats.APIVersion
	method  string // the HTTP method the call sends (and faults target)
	// mint marks Create and Rotate: calls that make a key with a one-time
	// secret, never retried once the request may have reached the server.
	mint bool
	// seed stores the key the call acts on and returns its id.
	seed func(srv *aistatstest.Server) string
	run  func(ctx context.Context, c *aistats.Client, id string) error
	// count counts the stored keys of the kind the call makes or changes.
	count func(srv *aistatstest.Server) int
	// done reports whether the fake's state shows the call's change; nil
	// for reads and mints.
	done func(srv *aistatstest.Server, id string) bool
}

func keysOps(v aistats.APIVersion) []op {
	seed := func(srv *aistatstest.Server) string { return srv.AddKey(aistatstest.KeySpec{Name: "seed"}).ID }
	count := func(srv *aistatstest.Server) int { return len(srv.Keys()) }
	p := string(v) + "/Keys."
	return []op{
		{name: p + "List", version: v, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, _ string) error { return errOnlySec(c.Keys.List(ctx, nil)) }},
		{name: p + "Get", version: v, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error { return errOnlySec(c.Keys.Get(ctx, id)) }},
		{name: p + "Update", version: v, method: http.MethodPatch, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnlySec(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")}))
			},
			done: func(srv *aistatstest.Server, id string) bool { k, ok := srv.Key(id); return ok && k.Name == "renamed" }},
		{name: p + "Delete", version: v, method: http.MethodDelete, seed: seed, count: count,
			run:  func(ctx context.Context, c *aistats.Client, id string) error { return c.Keys.Delete(ctx, id) },
			done: func(srv *aistatstest.Server, id string) bool { _, ok := srv.Key(id); return !ok }},
		{name: p + "Create", version: v, method: http.MethodPost, mint: true, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, _ string) error {
				return mintErr(c.Keys.Create(ctx, createKeyParams(v, "matrix")))
			}},
	}
}

func apiKeysOps() []op {
	seed := func(srv *aistatstest.Server) string { return srv.AddAPIKey(aistatstest.APIKeySpec{Name: "seed"}).ID }
	count := func(srv *aistatstest.Server) int { return len(srv.APIKeys()) }
	p := string(july) + "/APIKeys."
	return []op{
		{name: p + "List", version: july, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, _ string) error {
				return errOnlySec(c.APIKeys.List(ctx, nil))
			}},
		{name: p + "Get", version: july, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnlySec(c.APIKeys.Get(ctx, id))
			}},
		{name: p + "Update", version: july, method: http.MethodPatch, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnlySec(c.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("renamed")}))
			},
			done: func(srv *aistatstest.Server, id string) bool {
				k, ok := srv.APIKeyByID(id)
				return ok && k.Name == "renamed"
			}},
		{name: p + "Delete", version: july, method: http.MethodDelete, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error { return c.APIKeys.Delete(ctx, id) },
			done: func(srv *aistatstest.Server, id string) bool {
				k, ok := srv.APIKeyByID(id)
				return ok && k.Status == aistats.KeyStatusDeleted // a tombstone
			}},
		{name: p + "Create", version: july, method: http.MethodPost, mint: true, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, _ string) error {
				return mintErr(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "matrix"}))
			}},
		{name: p + "Rotate", version: july, method: http.MethodPost, mint: true, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return mintErr(c.APIKeys.Rotate(ctx, id, nil))
			}},
	}
}

// matrixOps: every call of both services on every version that has it.
var matrixOps = append(append(keysOps(march), keysOps(july)...), apiKeysOps()...)

// secretOf is what every mint result has: a one-time secret.
type secretOf interface {
	*aistats.CreatedKey | *aistats.CreatedAPIKey | *aistats.RotatedAPIKey
}

// mintErr is a mint call's error, or an error when it succeeded without
// delivering its secret.
func mintErr[T secretOf](out T, err error) error {
	if err != nil {
		return err
	}
	var s aistats.Secret
	switch v := any(out).(type) {
	case *aistats.CreatedKey:
		if v != nil {
			s = v.Secret
		}
	case *aistats.CreatedAPIKey:
		if v != nil {
			s = v.Secret
		}
	case *aistats.RotatedAPIKey:
		if v != nil {
			s = v.Secret
		}
	}
	if s.IsZero() {
		return errNoSecret
	}
	return nil
}

var errNoSecret = errors.New("mint succeeded without a secret")

// concurrently runs the subtests at once, each in its own goroutine, for
// tests that mostly wait (Retry-After hints, attempt timeouts): subtests
// that call t.Parallel share the -parallel slots (GOMAXPROCS, often 2 in
// CI) and would wait in turn. testing allows t.Run from several
// goroutines as long as all return before the parent does.
func concurrently(t *testing.T, names []string, run func(t *testing.T, i int)) {
	t.Helper()
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(name, func(t *testing.T) { run(t, i) })
		}()
	}
	wg.Wait()
}
