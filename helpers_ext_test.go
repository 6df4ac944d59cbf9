package aistats_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
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
			run: func(ctx context.Context, c *aistats.Client, _ string) error { return errOnly(c.Keys.List(ctx, nil)) }},
		{name: p + "Get", version: v, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error { return errOnly(c.Keys.Get(ctx, id)) }},
		{name: p + "Update", version: v, method: http.MethodPatch, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")}))
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
				return errOnly(c.APIKeys.List(ctx, nil))
			}},
		{name: p + "Get", version: july, method: http.MethodGet, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.APIKeys.Get(ctx, id))
			}},
		{name: p + "Update", version: july, method: http.MethodPatch, seed: seed, count: count,
			run: func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("renamed")}))
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

// The client's own credential and a second, wrong one. Both are shaped like
// real keys so that the redacted form keeps a public part.
const (
	secAPIKey   = "aistats_v1_sk_Ab12Cd34Ef56_mW3pZr8TqY2vK6nB1xD9cF4hJ7sL0aG5eU8iO2wR"
	secWrongKey = "aistats_v1_sk_Wr0ngK3yAbCd_Zq1Wx2Ec3Rv4Tb5Yn6Um7Ik8Ol9Pa0Sd1Fg2Hj3K"
	secKeyID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	secSlowID   = "5105c0de-0000-4000-8000-000000000000"
	secKeysPath = "/v1/management/keys"
)

// Gen A bodies from contract.md §2.
const (
	secListBody = `{"ok":true,"limit":50,"offset":0,"total":1,"keys":[{"id":"` + secKeyID + `","name":"CI pipeline key",` +
		`"prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}]}`
	secKeyBody = `{"ok":true,"key":{"id":"` + secKeyID + `","team_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"CI pipeline key",` +
		`"prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",` +
		`"created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null,"soft_blocked":false}}`
	secCreatedBody = `{"ok":true,"key":{"id":"` + secKeyID + `","name":"CI pipeline key","prefix":"Q7xk2P","status":"active",` +
		`"scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"` + leakKeyPlain + `"}}`
	secUpdatedBody = `{"ok":true,"message":"Key updated successfully"}`
	secDeletedBody = `{"ok":true,"message":"Key \"CI pipeline key\" deleted successfully"}`
)

// 2026-07: the client's management key, a wrong one, and the canned
// answers of contract-2026-07.md §5–§6 and §9.2 (compact).
const (
	secJulyKey      = "phaseo_v1_mk_Ab12Cd34Ef56_mW3pZr8TqY2vK6nB1xD9cF4hJ7sL0aG5eU8iO2wR"
	secJulyWrongKey = "phaseo_v1_mk_Wr0ngK3yAbCd_Zq1Wx2Ec3Rv4Tb5Yn6Um7Ik8Ol9Pa0Sd1Fg2Hj3K"
	secMgmtPath     = "/v1/management-keys"
	secAPIKeysPath  = "/v1/keys"
	secHash         = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f"

	secJulyMgmtFields = `"id":"` + leakMgmtKeyID + `","workspace_id":"` + leakWorkspaceID + `","name":"Terraform","prefix":"Q7xk2P",` +
		`"status":"active","scopes":["keys:read"],"created_by":null,"created_at":"2026-08-20T10:11:12.345678+00:00",` +
		`"updated_at":null,"last_used_at":null,"expires_at":null,"soft_blocked":false`
	// secJulyAPIRest is an API key object after its id.
	secJulyAPIRest = `"hash":"` + secHash + `","workspace_id":"` + leakWorkspaceID + `",` +
		`"name":"CI pipeline","prefix":"Q7xk2P","status":"active","disabled":false,"soft_blocked":false,"limit":25,` +
		`"limit_reset":"monthly","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","created_at":"2026-08-20T10:11:12.345678+00:00",` +
		`"updated_at":null,"last_used_at":null,"expires_at":null`
	secJulyMgmtObj     = `{` + secJulyMgmtFields + `}`
	secJulyAPIObj      = `{"id":"` + leakAPIKeyID + `",` + secJulyAPIRest + `}`
	secJulyMgmtCreated = `{"data":{` + secJulyMgmtFields + `,"key":"` + leakMgmtPlain + `"}}`
	secJulyAPICreated  = `{"data":{"id":"` + leakAPIKeyID + `",` + secJulyAPIRest + `,"key":"` + leakAPIPlain + `"}}`
	secJulyRotated     = `{"data":{"id":"` + leakRotatedID + `",` + secJulyAPIRest + `,"key":"` + leakRotPlain + `"},` +
		`"previous_key_expires_at":"2026-09-01T00:00:00.000Z"}`
)

// secJulyCanned answers every 2026-07 call with the contract's success body.
func secJulyCanned(w http.ResponseWriter, r *http.Request) {
	p, m := r.URL.Path, r.Method
	switch {
	case p == secMgmtPath && m == http.MethodGet:
		secReply(w, http.StatusOK, `{"data":[`+secJulyMgmtObj+`]}`)
	case p == secMgmtPath && m == http.MethodPost:
		secReply(w, http.StatusCreated, secJulyMgmtCreated)
	case strings.HasPrefix(p, secMgmtPath+"/") && (m == http.MethodGet || m == http.MethodPatch):
		secReply(w, http.StatusOK, `{"data":`+secJulyMgmtObj+`}`)
	case p == secAPIKeysPath && m == http.MethodGet:
		secReply(w, http.StatusOK, `{"data":[`+secJulyAPIObj+`],"total_count":1}`)
	case p == secAPIKeysPath && m == http.MethodPost:
		secReply(w, http.StatusCreated, secJulyAPICreated)
	case strings.HasPrefix(p, secAPIKeysPath+"/") && strings.HasSuffix(p, "/rotate") && m == http.MethodPost:
		secReply(w, http.StatusOK, secJulyRotated)
	case strings.HasPrefix(p, secAPIKeysPath+"/") && (m == http.MethodGet || m == http.MethodPatch):
		secReply(w, http.StatusOK, `{"data":`+secJulyAPIObj+`}`)
	case (strings.HasPrefix(p, secMgmtPath+"/") || strings.HasPrefix(p, secAPIKeysPath+"/")) && m == http.MethodDelete:
		secReply(w, http.StatusOK, `{"deleted":true}`)
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 Not Found"))
	}
}

// secJulyClient talks 2026-07 to srvURL+"/v1" with secJulyKey.
func secJulyClient(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	return secClient(t, srvURL, append([]aistats.Option{aistats.WithAPIKey(secJulyKey), aistats.WithAPIVersion(july)}, opts...)...)
}

// secCall is one SDK call against a canned server, by name.
type secCall struct {
	name string
	run  func(ctx context.Context, c *aistats.Client) error
}

// secMints are the calls whose answers carry a one-time plaintext, with
// the client of their version.
var secMints = []struct {
	secCall
	client func(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client
	plain  string
	status int    // the success status
	body   string // the success body, holding plain
}{
	{secCall{"2026-03/Keys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnly(c.Keys.Create(ctx, createKeyParams(march, "k")))
	}}, secClient, leakKeyPlain, http.StatusCreated, secCreatedBody},
	{secCall{"2026-07/Keys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnly(c.Keys.Create(ctx, createKeyParams(july, "k")))
	}}, secJulyClient, leakMgmtPlain, http.StatusCreated, secJulyMgmtCreated},
	{secCall{"2026-07/APIKeys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnly(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"}))
	}}, secJulyClient, leakAPIPlain, http.StatusCreated, secJulyAPICreated},
	{secCall{"2026-07/APIKeys.Rotate", func(ctx context.Context, c *aistats.Client) error {
		return errOnly(c.APIKeys.Rotate(ctx, leakAPIKeyID, nil))
	}}, secJulyClient, leakRotPlain, http.StatusOK, secJulyRotated},
}

func secServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// secClient talks to srvURL+"/v1" with millisecond retry waits.
func secClient(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	base := []aistats.Option{
		aistats.WithAPIKey(secAPIKey),
		aistats.WithBaseURL(srvURL + "/v1"),
		aistats.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}
	c, err := aistats.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func secReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// secCanned answers every operation with the contract's success body.
func secCanned(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == secKeysPath && r.Method == http.MethodGet:
		secReply(w, http.StatusOK, secListBody)
	case r.URL.Path == secKeysPath && r.Method == http.MethodPost:
		secReply(w, http.StatusCreated, secCreatedBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodGet:
		secReply(w, http.StatusOK, secKeyBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodPatch:
		secReply(w, http.StatusOK, secUpdatedBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodDelete:
		secReply(w, http.StatusOK, secDeletedBody)
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 Not Found"))
	}
}

func errOnly[T any](_ T, err error) error { return err }

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A created key in the server's Gen A shape: aistats_v1_sk_<kid 12>_<secret 40>.
const (
	leakKeyKID    = "Q7xk2Pa9LmZt"
	leakKeyTail   = "Xb8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"
	leakKeyPlain  = "aistats_v1_sk_" + leakKeyKID + "_" + leakKeyTail
	leakKeyPublic = "aistats_v1_sk_Q7xk2P…" // what every rendering may show

	// 2026-07 plaintexts: a management key (Keys.Create) and API keys
	// (APIKeys.Create, APIKeys.Rotate), phaseo_v1_<mk|sk>_<kid 12>_<secret>.
	leakMgmtPlain   = "phaseo_v1_mk_" + leakKeyKID + "_Mg8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"
	leakMgmtPublic  = "phaseo_v1_mk_Q7xk2P…"
	leakAPIPlain    = "phaseo_v1_sk_" + leakKeyKID + "_Ak8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"
	leakRotPlain    = "phaseo_v1_sk_Q7xk2PrOtAt3_Rt8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"
	leakAPIPublic   = "phaseo_v1_sk_Q7xk2P…" // both API keys show this
	leakAPIKeyID    = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"
	leakRotatedID   = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
	leakMgmtKeyID   = "3f6c2a9e-8b1d-4c7e-9a2f-5d4e3c2b1a09"
	leakWorkspaceID = "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"
)

// secretTail is the part of a credential that must never be shown: the
// text after the key id for an AI Stats key, else the whole value.
func secretTail(plain string) string {
	if parts := strings.SplitN(plain, "_", 5); len(parts) == 5 {
		return parts[4]
	}
	return plain
}

// assertNoLeak fails when out contains any of the plaintexts, their secret
// tails, any 10-byte piece of a tail, or the hex form of any of those (as
// %x would print them).
func assertNoLeak(t *testing.T, where, out string, plaintexts ...string) bool {
	t.Helper()
	ok := true
	for _, p := range plaintexts {
		tail := secretTail(p)
		forbidden := []string{p, hex.EncodeToString([]byte(p))}
		const window = 10
		for i := 0; i+window <= len(tail); i++ {
			piece := tail[i : i+window]
			forbidden = append(forbidden, piece, hex.EncodeToString([]byte(piece)), strings.ToUpper(hex.EncodeToString([]byte(piece))))
		}
		for _, f := range forbidden {
			if strings.Contains(out, f) {
				ok = assert.Failf(t, "secret leaked", "%s: output contains %q (from a secret)\noutput: %s", where, f, out)
				break
			}
		}
	}
	return ok
}

var fmtVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%10.4v", "%-80s", "% x", "%#x", "%p"}

// mapSeq maps a walk's items; an error passes through.
func mapSeq[K, V any](seq iter.Seq2[K, error], f func(K) V) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		for k, err := range seq {
			var v V
			if err == nil {
				v = f(k)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

var jsonCT = http.Header{"Content-Type": {"application/json"}}
