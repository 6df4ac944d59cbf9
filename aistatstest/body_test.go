package aistatstest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The property: for random values of every type Body renders, the SDK
// decodes Body(v) back to v (every field the wire carries), and for keys
// stored in the fake, Body of what the fake stores is byte for byte what
// its handler sends.

const bodyRounds = 150

// gen draws random values from a seeded source, so a failure reproduces.
type gen struct{ r *rand.Rand }

func newGen(t *testing.T) gen {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	return gen{rand.New(rand.NewPCG(seed, 14))}
}

func (g gen) uuid() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (g gen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

// text is a name with the characters JSON and JavaScript treat specially.
func (g gen) text() string {
	const alphabet = "abcXYZ 019_-.,:/\"\\<>&'é漢🔑\u2028\t"
	runes := []rune(alphabet)
	var b strings.Builder
	for range 1 + g.r.IntN(24) {
		b.WriteRune(runes[g.r.IntN(len(runes))])
	}
	return b.String()
}

func (g gen) base62(n int) string {
	const a = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[g.r.IntN(len(a))]
	}
	return string(b)
}

// when is a time as the database keeps it: UTC, microseconds.
func (g gen) when() time.Time {
	return time.UnixMicro(1_700_000_000_000_000 + g.r.Int64N(200_000_000_000_000)).UTC()
}

func (g gen) maybeWhen() *time.Time {
	if g.r.IntN(3) == 0 {
		return nil
	}
	t := g.when()
	return &t
}

func (g gen) maybe(s string) string {
	if g.r.IntN(3) == 0 {
		return ""
	}
	return s
}

func (g gen) apiKey() aistats.APIKey {
	k := aistats.APIKey{
		ID: g.uuid(), Hash: fmt.Sprintf("%x", g.uuid()+g.uuid())[:64], WorkspaceID: g.uuid(), Name: g.text(),
		Prefix: g.base62(6), Status: aistats.KeyStatus(g.pick("active", "paused", "deleted", "compromised")),
		Disabled: g.r.IntN(2) == 0, SoftBlocked: g.r.IntN(2) == 0, CreatedBy: g.maybe(g.uuid()),
		CreatedAt: g.when(), UpdatedAt: g.maybeWhen(), LastUsedAt: g.maybeWhen(), ExpiresAt: g.maybeWhen(),
	}
	if g.r.IntN(2) == 0 {
		k.Limit = aistats.Ptr(float64(g.r.IntN(1_000_000)) / 100)
		k.LimitReset = aistats.LimitReset(g.pick("daily", "weekly", "monthly"))
	}
	return k
}

func (g gen) scopes() aistats.Scopes {
	var s aistats.Scopes
	for range g.r.IntN(4) {
		s = append(s, g.pick("keys:read", "keys:write", "keys:delete", "management_keys:read", "presets:write"))
	}
	return s
}

func (g gen) limit() *int64 {
	if g.r.IntN(2) == 0 {
		return nil
	}
	return aistats.Ptr(g.r.Int64N(1 << 40))
}

func (g gen) key() aistats.Key {
	ws := g.uuid()
	return aistats.Key{
		ID: g.uuid(), Name: g.text(), Prefix: g.base62(6), Status: aistats.KeyStatus(g.pick("active", "paused")),
		Scopes: g.scopes(), WorkspaceID: ws, TeamID: ws, CreatedBy: g.maybe(g.uuid()), SoftBlocked: g.r.IntN(2) == 0,
		CreatedAt: g.when(), UpdatedAt: g.maybeWhen(), LastUsedAt: g.maybeWhen(), ExpiresAt: g.maybeWhen(),
		Limits: aistats.Limits{
			Daily:   aistats.WindowLimit{Requests: g.limit(), CostNanos: g.limit()},
			Weekly:  aistats.WindowLimit{Requests: g.limit(), CostNanos: g.limit()},
			Monthly: aistats.WindowLimit{Requests: g.limit(), CostNanos: g.limit()},
		},
	}
}

// marchKey keeps the fields a 2026-03 key has.
func marchKey(k aistats.Key) aistats.Key {
	k.UpdatedAt, k.ExpiresAt, k.Limits = nil, nil, aistats.Limits{}
	k.Status = aistats.KeyStatus(map[aistats.KeyStatus]string{"active": "active", "paused": "revoked"}[k.Status])
	return k
}

// replay answers every request with one canned response.
type replay struct {
	status int
	body   []byte
}

func (r replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: r.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.body)), ContentLength: int64(len(r.body)), Request: req}, nil
}

// decoder is an SDK client whose every call gets body with status.
func decoder(t *testing.T, v aistats.APIVersion, status int, body []byte) *aistats.Client {
	t.Helper()
	c, err := aistats.NewClient(aistats.WithAPIKey("phaseo_v1_mk_test"), aistats.WithAPIVersion(v),
		aistats.WithBaseURL("https://decode.invalid/v1"), aistats.WithMaxRetries(0),
		aistats.WithHTTPClient(&http.Client{Transport: replay{status, body}}))
	require.NoError(t, err)
	return c
}

func TestBodyRoundTripsAPIKeys(t *testing.T) {
	t.Parallel()
	g := newGen(t)
	july := aistats.APIVersionJuly2026
	for range bodyRounds {
		k := g.apiKey()
		for _, v := range []any{k, &k} {
			got, err := decoder(t, july, 200, aistatstest.Body(v)).APIKeys.Get(ctx, k.ID)
			require.NoError(t, err)
			require.Equal(t, k, *got)
		}

		page := aistats.APIKeyPage{Keys: []*aistats.APIKey{&k, aistats.Ptr(g.apiKey())}, Total: g.r.IntN(1000)}
		gotPage, err := decoder(t, july, 200, aistatstest.Body(page)).APIKeys.List(ctx, nil)
		require.NoError(t, err)
		require.Equal(t, page.Keys, gotPage.Keys)
		require.Equal(t, page.Total, gotPage.Total)

		created := aistats.CreatedAPIKey{APIKey: k, Secret: aistats.NewSecret("phaseo_v1_sk_" + g.base62(12) + "_" + g.base62(40))}
		gotCreated, err := decoder(t, july, 201, aistatstest.Body(&created)).APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "x"})
		require.NoError(t, err)
		require.Equal(t, created.APIKey, gotCreated.APIKey)
		require.Equal(t, created.Secret.Reveal(), gotCreated.Secret.Reveal())

		rotated := aistats.RotatedAPIKey{CreatedAPIKey: created}
		if at := g.maybeWhen(); at != nil {
			rotated.PreviousKeyExpiresAt = aistats.Ptr(at.Truncate(time.Millisecond)) // echoed by toISOString
		}
		gotRotated, err := decoder(t, july, 200, aistatstest.Body(rotated)).APIKeys.Rotate(ctx, g.uuid(), nil)
		require.NoError(t, err)
		require.Equal(t, rotated.APIKey, gotRotated.APIKey)
		require.Equal(t, rotated.Secret.Reveal(), gotRotated.Secret.Reveal())
		require.Equal(t, rotated.PreviousKeyExpiresAt, gotRotated.PreviousKeyExpiresAt)
	}
}

func TestBodyRoundTripsKeys(t *testing.T) {
	t.Parallel()
	g := newGen(t)
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		for range bodyRounds {
			k := g.key()
			if v == aistats.APIVersionMarch2026 {
				k = marchKey(k)
			}
			got, err := decoder(t, v, 200, aistatstest.BodyFor(v, &k)).Keys.Get(ctx, k.ID)
			require.NoError(t, err)
			require.Equal(t, k, *got, v)

			other := g.key()
			if v == aistats.APIVersionMarch2026 {
				other = marchKey(other)
			}
			page := aistats.KeyPage{Keys: []*aistats.Key{&k, &other}, Limit: 1 + g.r.IntN(250), Offset: g.r.IntN(500), Total: g.r.IntN(1000)}
			gotPage, err := decoder(t, v, 200, aistatstest.BodyFor(v, page)).Keys.List(ctx, &aistats.ListKeysOptions{Limit: page.Limit, Offset: page.Offset})
			require.NoError(t, err)
			want := page.Keys
			if v == aistats.APIVersionMarch2026 {
				want = []*aistats.Key{listed(k), listed(other)} // a 2026-03 list item carries fewer fields
				require.Equal(t, page.Total, gotPage.Total)
			}
			require.Equal(t, want, gotPage.Keys, v)
			require.Equal(t, page.Limit, gotPage.Limit)
			require.Equal(t, page.Offset, gotPage.Offset)

			created := aistats.CreatedKey{Key: k, Secret: aistats.NewSecret("phaseo_v1_mk_" + g.base62(12) + "_" + g.base62(40))}
			params := &aistats.CreateKeyParams{Name: "x", Template: aistats.KeyTemplateReadOnly}
			if v == aistats.APIVersionMarch2026 {
				params = &aistats.CreateKeyParams{Name: "x"}
				created.Key = createdMarch(k)
			}
			gotCreated, err := decoder(t, v, 201, aistatstest.BodyFor(v, created)).Keys.Create(ctx, params)
			require.NoError(t, err)
			require.Equal(t, created.Key, gotCreated.Key, v)
			require.Equal(t, created.Secret.Reveal(), gotCreated.Secret.Reveal())
		}
	}
}

// listed keeps what a 2026-03 list item carries.
func listed(k aistats.Key) *aistats.Key {
	return &aistats.Key{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Status: k.Status, Scopes: k.Scopes,
		CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt}
}

// createdMarch keeps what a 2026-03 create answer carries.
func createdMarch(k aistats.Key) aistats.Key {
	out := *listed(k)
	out.LastUsedAt = nil
	return out
}

func TestBodyRoundTripsAPIErrors(t *testing.T) {
	t.Parallel()
	g := newGen(t)
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		for range bodyRounds {
			want := &aistats.APIError{StatusCode: 400 + g.r.IntN(4)*2 + 1, Code: g.pick("not_found", "bad_request", "forbidden", "validation_error"),
				Message: g.text()}
			if v == aistats.APIVersionJuly2026 && g.r.IntN(2) == 0 {
				want.RequestID = g.uuid()
			}
			_, err := decoder(t, v, want.StatusCode, aistatstest.BodyFor(v, want)).Keys.Get(ctx, g.uuid())
			var got *aistats.APIError
			require.ErrorAs(t, err, &got)
			assert.Equal(t, want.StatusCode, got.StatusCode)
			assert.Equal(t, want.Code, got.Code)
			// The SDK keeps Message as one printable line: white space folds
			// to one space, a line separator becomes U+FFFD (Body keeps
			// the text as sent).
			assert.Equal(t, oneLine(want.Message), got.Message)
			assert.Equal(t, want.RequestID, got.RequestID)
		}
	}
}

// A 401 is the guard's body, not a route's: Body renders it with the code
// the fake's own guard uses, so a mocked 401 (db_error included) is the
// wire truth.
func TestBodyOf401IsTheGuardsBody(t *testing.T) {
	t.Parallel()
	srv := aistatstest.NewServer()
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/keys", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk-not-a-management-key")
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	var sent struct {
		RequestID string `json:"request_id"`
	}
	require.NoError(t, json.Unmarshal(raw, &sent))
	require.NotEmpty(t, sent.RequestID)
	want := aistatstest.Body(&aistats.APIError{StatusCode: http.StatusUnauthorized, Code: "unauthorised",
		Message: aistatstest.ReasonInvalidFormat, RequestID: sent.RequestID})
	assert.JSONEq(t, string(raw), string(want))

	// The SDK reads the mocked db_error 401 as the server's fault.
	_, err = decoder(t, aistats.APIVersionJuly2026, http.StatusUnauthorized,
		aistatstest.Body(&aistats.APIError{StatusCode: http.StatusUnauthorized, Message: "db_error"})).APIKeys.List(ctx, nil)
	require.ErrorIs(t, err, aistats.ErrUnauthorized)
	require.ErrorIs(t, err, aistats.ErrServer)
}

// oneLine is what the SDK's APIError.Message makes of a server message
// from this test's alphabet (see the aistats package's Error docs).
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2028", "\uFFFD")), " ")
}

// raw sends a request to the fake with its own credential and returns the
// status and body as sent.
func raw(t *testing.T, srv *aistatstest.Server, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, b
}

// plaintextOf reads the one-time "key" of a create or rotate answer.
func plaintextOf(t *testing.T, v aistats.APIVersion, body []byte) (id, plaintext string) {
	t.Helper()
	var env struct {
		Data, Key struct{ ID, Key string }
	}
	require.NoError(t, json.Unmarshal(body, &env))
	if v == aistats.APIVersionMarch2026 {
		return env.Key.ID, env.Key.Key
	}
	return env.Data.ID, env.Data.Key
}

// The fake's handlers and Body render the same stored key to the same bytes.
func TestBodyIsTheFakesAnswerForAPIKeys(t *testing.T) {
	t.Parallel()
	g := newGen(t)
	_, srv := aistatstest.NewClient(t, aistatstest.WithKeyLimit(10*bodyRounds))
	for range bodyRounds / 3 {
		r := g.apiKey()
		spec := aistatstest.APIKeySpec{
			Name: r.Name, Status: r.Status, SoftBlocked: r.SoftBlocked, Limit: r.Limit, LimitReset: r.LimitReset,
			ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, ID: r.ID, Prefix: r.Prefix,
			CreatedBy: r.CreatedBy,
		}
		stored := srv.AddAPIKey(spec)
		status, body := raw(t, srv, http.MethodGet, "/keys/"+stored.ID, "")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, string(aistatstest.Body(stored)), string(body))
	}

	status, body := raw(t, srv, http.MethodGet, "/keys?include_disabled=true&limit=250", "")
	require.Equal(t, http.StatusOK, status)
	all := srv.APIKeys() // newest first, as listed
	page := aistats.APIKeyPage{Total: len(all)}
	for i := range all {
		page.Keys = append(page.Keys, &all[i])
	}
	require.Equal(t, string(aistatstest.Body(page)), string(body))

	status, body = raw(t, srv, http.MethodPost, "/keys", `{"name":"ci","limit":12.5,"limit_reset":"weekly"}`)
	require.Equal(t, http.StatusCreated, status)
	id, plaintext := plaintextOf(t, aistats.APIVersionJuly2026, body)
	created, ok := srv.APIKeyByID(id)
	require.True(t, ok)
	require.Equal(t, string(aistatstest.Body(aistats.CreatedAPIKey{APIKey: created, Secret: aistats.NewSecret(plaintext)})), string(body))

	deadline := time.Date(2031, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	status, body = raw(t, srv, http.MethodPost, "/keys/"+id+"/rotate", `{"previous_key_expires_at":"`+deadline.Format(time.RFC3339Nano)+`"}`)
	require.Equal(t, http.StatusOK, status)
	newID, plaintext := plaintextOf(t, aistats.APIVersionJuly2026, body)
	rotated, ok := srv.APIKeyByID(newID)
	require.True(t, ok)
	want := aistats.RotatedAPIKey{CreatedAPIKey: aistats.CreatedAPIKey{APIKey: rotated, Secret: aistats.NewSecret(plaintext)}, PreviousKeyExpiresAt: &deadline}
	require.Equal(t, string(aistatstest.Body(&want)), string(body))

	status, body = raw(t, srv, http.MethodGet, "/keys/"+g.uuid(), "")
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, string(aistatstest.Body(&aistats.APIError{StatusCode: 404, Code: "not_found", Message: "API key not found"})), string(body))
}

func TestBodyIsTheFakesAnswerForKeys(t *testing.T) {
	t.Parallel()
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		t.Run(string(v), func(t *testing.T) {
			t.Parallel()
			g := newGen(t)
			_, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(v), aistatstest.WithKeyLimit(10*bodyRounds))
			path := "/management-keys"
			if v == aistats.APIVersionMarch2026 {
				path = "/management/keys"
			}
			for range bodyRounds / 3 {
				r := g.key()
				scopes, _ := json.Marshal(r.Scopes)
				if r.Scopes == nil {
					scopes = []byte("[]")
				}
				stored := srv.AddKey(aistatstest.KeySpec{
					Name: r.Name, Status: r.Status, Scopes: string(scopes), CreatedBy: r.CreatedBy, SoftBlocked: r.SoftBlocked,
					CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, ID: r.ID, Prefix: r.Prefix, ExpiresAt: r.ExpiresAt,
					UpdatedAt: r.UpdatedAt,
				})
				status, body := raw(t, srv, http.MethodGet, path+"/"+stored.ID, "")
				require.Equal(t, http.StatusOK, status)
				require.Equal(t, string(aistatstest.BodyFor(v, stored)), string(body))
			}

			status, body := raw(t, srv, http.MethodGet, path+"?limit=250", "")
			require.Equal(t, http.StatusOK, status)
			all := srv.Keys()
			page := aistats.KeyPage{Limit: 250, Total: len(all)}
			for i := range all {
				page.Keys = append(page.Keys, &all[i])
			}
			require.Equal(t, string(aistatstest.BodyFor(v, page)), string(body))

			status, body = raw(t, srv, http.MethodPost, path, `{"name":"ci","scopes":["keys:read"]}`)
			require.Equal(t, http.StatusCreated, status, "%s", body)
			id, plaintext := plaintextOf(t, v, body)
			created, ok := srv.Key(id)
			require.True(t, ok)
			require.Equal(t, string(aistatstest.BodyFor(v, aistats.CreatedKey{Key: created, Secret: aistats.NewSecret(plaintext)})), string(body))

			status, body = raw(t, srv, http.MethodGet, path+"/"+g.uuid(), "")
			require.Equal(t, http.StatusNotFound, status)
			notFound := &aistats.APIError{StatusCode: 404, Code: "not_found", Message: "Management key not found"}
			if v == aistats.APIVersionMarch2026 {
				notFound = &aistats.APIError{StatusCode: 404, Message: "Key not found"}
			}
			require.Equal(t, string(aistatstest.BodyFor(v, notFound)), string(body))
		})
	}
}

// What a test author sees for a value Body cannot render: the SDK's error
// names the type, whether the body is served as a success or an error.
func TestBodyUnsupported(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{42, "cannot render int"},
		{(*aistats.APIKey)(nil), "cannot render a nil *aistats.APIKey"},
		{nil, "cannot render a nil <nil>"},
		{aistats.APIKeyPage{Keys: []*aistats.APIKey{nil}}, "Keys[0] is nil"},
		{map[string]any{"data": 1}, "cannot render map[string]interface {}"},
	} {
		body := aistatstest.Body(tc.v)
		_, err := decoder(t, aistats.APIVersionJuly2026, 200, body).APIKeys.Get(ctx, "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21")
		var de *aistats.DecodeError
		require.True(t, errors.As(err, &de), "%T %v", err, err)
		assert.Contains(t, err.Error(), tc.want)

		_, err = decoder(t, aistats.APIVersionJuly2026, 400, body).APIKeys.Get(ctx, "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21")
		var ae *aistats.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "aistatstest_unsupported_type", ae.Code)
		assert.Contains(t, ae.Message, tc.want)
	}
	body := aistatstest.BodyFor(aistats.APIVersionMarch2026, aistats.APIKey{})
	assert.Contains(t, string(body), "cannot render aistats.APIKey on API version 2026-03")
	assert.Contains(t, string(aistatstest.BodyFor("2099-01", aistats.Key{})), `unknown API version \"2099-01\"`)
}

// A value and a pointer to it render the same; a nil pointer names its type.
func TestBodyPointersAndValues(t *testing.T) {
	t.Parallel()
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		for _, pair := range [][2]any{
			{aistats.APIKey{Name: "a"}, &aistats.APIKey{Name: "a"}},
			{aistats.APIKeyPage{Total: 3}, &aistats.APIKeyPage{Total: 3}},
			{aistats.CreatedAPIKey{APIKey: aistats.APIKey{Name: "c"}}, &aistats.CreatedAPIKey{APIKey: aistats.APIKey{Name: "c"}}},
			{aistats.RotatedAPIKey{}, &aistats.RotatedAPIKey{}},
			{aistats.Key{Name: "k"}, &aistats.Key{Name: "k"}},
			{aistats.KeyPage{Total: 2}, &aistats.KeyPage{Total: 2}},
			{aistats.CreatedKey{Key: aistats.Key{Name: "ck"}}, &aistats.CreatedKey{Key: aistats.Key{Name: "ck"}}},
			{aistats.APIError{Code: "c", Message: "m"}, &aistats.APIError{Code: "c", Message: "m"}},
		} {
			assert.Equal(t, string(aistatstest.BodyFor(v, pair[0])), string(aistatstest.BodyFor(v, pair[1])), "%s %T", v, pair[0])
		}
		for _, nilPtr := range []any{(*aistats.APIKeyPage)(nil), (*aistats.CreatedAPIKey)(nil), (*aistats.RotatedAPIKey)(nil),
			(*aistats.Key)(nil), (*aistats.KeyPage)(nil), (*aistats.CreatedKey)(nil), (*aistats.APIError)(nil)} {
			assert.Contains(t, string(aistatstest.BodyFor(v, nilPtr)), fmt.Sprintf("cannot render a nil %T", nilPtr))
		}
		assert.Contains(t, string(aistatstest.BodyFor(v, aistats.KeyPage{Keys: []*aistats.Key{nil}})), "Keys[0] is nil")
	}
	assert.Contains(t, string(aistatstest.BodyFor(aistats.APIVersionMarch2026, 1.5)), "cannot render float64")
}
