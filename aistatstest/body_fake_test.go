package aistatstest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
