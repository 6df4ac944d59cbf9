package aistats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Server answers in the Generation A shapes of contract.md §2.
const (
	// detailObject is a Generation A key as GET /management/keys/{id} returns it.
	detailObject = `{
    "id": "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40",
    "team_id": "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
    "name": "CI pipeline key",
    "prefix": "Q7xk2P",
    "status": "active",
    "scopes": "[\"read\",\"write\"]",
    "created_by": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "created_at": "2026-03-10T14:02:11.482+00:00",
    "last_used_at": null,
    "soft_blocked": false
  }`
	detailJSON    = `{"ok": true, "key": ` + detailObject + `}`
	emptyListJSON = `{"ok":true,"limit":50,"offset":0,"total":0,"keys":[]}`
	messageJSON   = `{"ok":true,"message":"Key updated successfully"}`
	plaintextKey  = "aistats_v1_sk_Q7xk2Pa9LmZt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
	createdJSON   = `{"ok":true,"key":{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI pipeline key",` +
		`"prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]",` +
		`"created_at":"2026-03-10T14:02:11.482+00:00","key":"` + plaintextKey + `"}}`
)

// detailKey is what detailJSON decodes to.
func detailKey() *Key {
	return &Key{
		ID:          testKeyID,
		TeamID:      "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
		WorkspaceID: "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
		Name:        "CI pipeline key",
		Prefix:      "Q7xk2P",
		Status:      KeyStatusActive,
		Scopes:      Scopes{"read", "write"},
		CreatedBy:   "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		CreatedAt:   time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC),
	}
}

func TestKeysRequestShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply reply
		call  func(context.Context, *KeysService) error
		// body is the exact JSON sent; "" means the request has no body.
		method, path, query, body string
	}{
		{
			name: "list, nil options", reply: jsonReply(200, emptyListJSON),
			call:   func(ctx context.Context, k *KeysService) error { return errOnly(k.List(ctx, nil)) },
			method: "GET", path: testKeysPath,
		},
		{
			name: "list, zero options", reply: jsonReply(200, emptyListJSON),
			call:   func(ctx context.Context, k *KeysService) error { return errOnly(k.List(ctx, &ListKeysOptions{})) },
			method: "GET", path: testKeysPath,
		},
		{
			name: "list, every option", reply: jsonReply(200, emptyListJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.List(ctx, &ListKeysOptions{TeamID: "team 1/ä&x=y", Limit: 10, Offset: 20}))
			},
			method: "GET", path: testKeysPath, query: "limit=10&offset=20&team_id=team+1%2F%C3%A4%26x%3Dy",
		},
		{
			name: "list, limit above the maximum is clamped", reply: jsonReply(200, emptyListJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.List(ctx, &ListKeysOptions{Limit: 1000}))
			},
			method: "GET", path: testKeysPath, query: "limit=250",
		},
		{
			name: "create, name only", reply: jsonReply(201, createdJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Create(ctx, &CreateKeyParams{Name: "CI pipeline key"}))
			},
			method: "POST", path: testKeysPath, body: `{"name":"CI pipeline key"}`,
		},
		{
			name: "create, every field", reply: jsonReply(201, createdJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Create(ctx, &CreateKeyParams{
					Name: "CI", Scopes: Scopes{"read", "write"}, Status: KeyStatusDisabled,
					TeamID: "team-1", SoftBlocked: Ptr(false),
				}))
			},
			method: "POST", path: testKeysPath,
			body: `{"name":"CI","scopes":["read","write"],"status":"disabled","team_id":"team-1","soft_blocked":false}`,
		},
		{
			name: "get", reply: jsonReply(200, detailJSON),
			call:   func(ctx context.Context, k *KeysService) error { return errOnly(k.Get(ctx, testKeyID)) },
			method: "GET", path: testKeyPath,
		},
		{
			name: "update, name only", reply: jsonReply(200, detailJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Name: Ptr("renamed")}))
			},
			method: "PATCH", path: testKeyPath, body: `{"name":"renamed"}`,
		},
		{
			name: "update, soft_blocked false is sent", reply: jsonReply(200, detailJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{SoftBlocked: Ptr(false)}))
			},
			method: "PATCH", path: testKeyPath, body: `{"soft_blocked":false}`,
		},
		{
			name: "update, status", reply: jsonReply(200, detailJSON),
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Status: Ptr(KeyStatusRevoked)}))
			},
			method: "PATCH", path: testKeyPath, body: `{"status":"revoked"}`,
		},
		{
			name: "delete", reply: jsonReply(200, `{"ok":true,"message":"Key \"CI pipeline key\" deleted successfully"}`),
			call:   func(ctx context.Context, k *KeysService) error { return k.Delete(ctx, testKeyID) },
			method: "DELETE", path: testKeyPath,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.reply)
			c := newTestClient(t, srv.BaseURL())
			require.NoError(t, tt.call(context.Background(), c.Keys))

			got := srv.only(t)
			assert.Equal(t, tt.method, got.Method)
			assert.Equal(t, tt.path, got.Path)
			assert.Equal(t, tt.query, got.RawQuery)
			assert.Equal(t, []string{"Bearer " + testAPIKey}, got.Header.Values("Authorization"))
			assert.Equal(t, "application/json", got.Header.Get("Accept"))
			assert.True(t, strings.HasPrefix(got.Header.Get("User-Agent"), "aistats-go/"+Version+" "),
				"User-Agent %q", got.Header.Get("User-Agent"))
			if tt.body == "" {
				assert.Empty(t, got.Body)
				assert.Empty(t, got.Header.Values("Content-Type"), "no Content-Type without a body")
				return
			}
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.body, string(got.Body))
		})
	}
}

func TestKeysIDIsOneEscapedPathSegment(t *testing.T) {
	t.Parallel()
	// Every spelling of a UUID that Postgres reads is sent as given, in one
	// segment; other ids never leave the process (TestKeysRejectBadInputBeforeIO).
	tests := []struct{ id, wantPath string }{
		{testKeyID, testKeyPath},
		{strings.ToUpper(testKeyID), testKeysPath + "/" + strings.ToUpper(testKeyID)},
		{"{" + testKeyID + "}", testKeysPath + "/%7B" + testKeyID + "%7D"},
		{strings.ReplaceAll(testKeyID, "-", ""), testKeysPath + "/" + strings.ReplaceAll(testKeyID, "-", "")},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(200, detailJSON))
			c := newTestClient(t, srv.BaseURL())
			_, err := c.Keys.Get(context.Background(), tt.id)
			require.NoError(t, err)
			got := srv.only(t)
			assert.Equal(t, tt.wantPath, got.Path)
			assert.Empty(t, got.RawQuery)
		})
	}
}

// TestKeysRejectBadInputBeforeIO covers every argument check: the call
// fails with a *ValidationError naming the field and sends nothing.
func TestKeysRejectBadInputBeforeIO(t *testing.T) {
	t.Parallel()
	var nilCtx context.Context
	ctx := context.Background()
	long := strings.Repeat("a", MaxNameLength+1)
	longMultibyte := strings.Repeat("ä", MaxNameLength+1)
	type badInput struct {
		name  string
		call  func(*KeysService) error
		field string
	}
	tests := []badInput{
		{"list, negative limit", func(k *KeysService) error { return errOnly(k.List(ctx, &ListKeysOptions{Limit: -1})) }, "Limit"},
		{"list, negative offset", func(k *KeysService) error { return errOnly(k.List(ctx, &ListKeysOptions{Offset: -5})) }, "Offset"},

		{"create, nil params", func(k *KeysService) error { return errOnly(k.Create(ctx, nil)) }, "params"},
		{"create, empty name", func(k *KeysService) error { return errOnly(k.Create(ctx, &CreateKeyParams{})) }, "Name"},
		{"create, blank name", func(k *KeysService) error { return errOnly(k.Create(ctx, &CreateKeyParams{Name: " \t\n "})) }, "Name"},
		{"create, 101 chars", func(k *KeysService) error { return errOnly(k.Create(ctx, &CreateKeyParams{Name: long})) }, "Name"},
		{"create, 101 multibyte chars", func(k *KeysService) error {
			return errOnly(k.Create(ctx, &CreateKeyParams{Name: longMultibyte}))
		}, "Name"},
		{"create, unknown status", func(k *KeysService) error {
			return errOnly(k.Create(ctx, &CreateKeyParams{Name: "n", Status: "paused"}))
		}, "Status"},

		{"update, nil params", func(k *KeysService) error { return errOnly(k.Update(ctx, testKeyID, nil)) }, "params"},
		{"update, empty name", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Name: Ptr("  ")}))
		}, "Name"},
		{"update, 101 chars", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Name: &long}))
		}, "Name"},
		{"update, unknown status", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Status: Ptr(KeyStatus("paused"))}))
		}, "Status"},

		{"list, nil ctx", func(k *KeysService) error { return errOnly(k.List(nilCtx, nil)) }, "ctx"},
		{"create, nil ctx", func(k *KeysService) error { return errOnly(k.Create(nilCtx, &CreateKeyParams{Name: "n"})) }, "ctx"},
		{"get, nil ctx", func(k *KeysService) error { return errOnly(k.Get(nilCtx, testKeyID)) }, "ctx"},
		{"update, nil ctx", func(k *KeysService) error {
			return errOnly(k.Update(nilCtx, testKeyID, &UpdateKeyParams{Name: Ptr("n")}))
		}, "ctx"},
		{"delete, nil ctx", func(k *KeysService) error { return k.Delete(nilCtx, testKeyID) }, "ctx"},
	}
	tests = append(tests,
		badInput{"update, nothing set", func(k *KeysService) error { return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{})) }, "params"},
		badInput{"create, template on 2026-03", func(k *KeysService) error {
			return errOnly(k.Create(ctx, &CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly}))
		}, "Template"},
		badInput{"create, expiry on 2026-03", func(k *KeysService) error {
			return errOnly(k.Create(ctx, &CreateKeyParams{Name: "n", ExpiresAt: Ptr(time.Now())}))
		}, "ExpiresAt"},
		badInput{"update, scopes on 2026-03", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Scopes: Scopes{"read"}}))
		}, "Scopes"},
		badInput{"update, template on 2026-03", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Template: KeyTemplateReadOnly}))
		}, "Template"},
		badInput{"update, expiry on 2026-03", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{ExpiresAt: Ptr(time.Time{})}))
		}, "ExpiresAt"},
		badInput{"update, paused on 2026-03", func(k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Status: Ptr(KeyStatusPaused)}))
		}, "Status"},
	)
	// Every id check, on every method that takes an id: a management key id
	// is a UUID.
	for _, id := range []string{"", ".", "..", "a/b", "/", `a\b`, "k", "a b", "a%2Fb", "..a", "a?b#c", testKeyID + "0", "{" + testKeyID} {
		tests = append(tests,
			badInput{fmt.Sprintf("get %q", id), func(k *KeysService) error { return errOnly(k.Get(ctx, id)) }, "id"},
			badInput{fmt.Sprintf("update %q", id), func(k *KeysService) error {
				return errOnly(k.Update(ctx, id, &UpdateKeyParams{Name: Ptr("n")}))
			}, "id"},
			badInput{fmt.Sprintf("delete %q", id), func(k *KeysService) error { return k.Delete(ctx, id) }, "id"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			c := newTestClient(t, srv.BaseURL())
			var err error
			require.NotPanics(t, func() { err = tt.call(c.Keys) })
			requireValidationError(t, err, tt.field)
			assert.Zero(t, srv.count(), "no request may be sent")
		})
	}
}

func TestKeysAcceptValidNames(t *testing.T) {
	t.Parallel()
	hundredMultibyte := strings.Repeat("ä", MaxNameLength) // 200 bytes, 100 characters
	tests := []struct {
		name string
		call func(context.Context, *KeysService) error
	}{
		{"create, 100 multibyte chars", func(ctx context.Context, k *KeysService) error {
			return errOnly(k.Create(ctx, &CreateKeyParams{Name: hundredMultibyte}))
		}},
		{"update, 100 multibyte chars", func(ctx context.Context, k *KeysService) error {
			return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Name: &hundredMultibyte}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(200, createdJSON))
			c := newTestClient(t, srv.BaseURL())
			require.NoError(t, tt.call(context.Background(), c.Keys))
			var body struct{ Name string }
			require.NoError(t, json.Unmarshal(srv.only(t).Body, &body))
			assert.Equal(t, hundredMultibyte, body.Name)
		})
	}
}

func TestKeysListDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     *ListKeysOptions
		body     string
		wantIDs  []string
		wantPage KeyPage // Limit, Offset, Total only
		// wantScopes are the scopes of the first key.
		wantScopes Scopes
	}{
		{
			name: "generation A envelope, pretty printed",
			body: `{
  "ok": true,
  "limit": 50,
  "offset": 0,
  "total": 2,
  "keys": [
    {"id": "k1", "name": "CI", "prefix": "Q7xk2P", "status": "active", "scopes": "[\"read\",\"write\"]",
     "created_at": "2026-03-10T14:02:11.482+00:00", "last_used_at": null},
    {"id": "k2", "name": "legacy", "prefix": "mT3zQa", "status": "paused", "scopes": "read,write",
     "created_at": "2026-02-20T09:00:00+00:00", "last_used_at": null}
  ]
}`,
			wantIDs: []string{"k1", "k2"}, wantPage: KeyPage{Limit: 50, Offset: 0, Total: 2},
			wantScopes: Scopes{"read", "write"},
		},
		{
			name: "data envelope with total_count and no echoed paging",
			opts: &ListKeysOptions{Limit: 10, Offset: 20},
			body: `{"data":[{"id":"k3","workspace_id":"ws","name":"n","prefix":"Hk29sd","status":"active",` +
				`"scopes":["keys:read"],"created_at":"2026-07-20T10:11:12Z","expires_at":null,"limits":{"x":1}}],"total_count":21}`,
			wantIDs: []string{"k3"}, wantPage: KeyPage{Limit: 10, Offset: 20, Total: 21},
			wantScopes: Scopes{"keys:read"},
		},
		{
			name:     "empty page",
			body:     `{"ok":true,"limit":250,"offset":500,"total":0,"keys":[]}`,
			opts:     &ListKeysOptions{Limit: 250, Offset: 500},
			wantPage: KeyPage{Limit: 250, Offset: 500},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(200, tt.body))
			c := newTestClient(t, srv.BaseURL())
			page, err := c.Keys.List(context.Background(), tt.opts)
			require.NoError(t, err)

			var ids []string
			for _, k := range page.Keys {
				ids = append(ids, k.ID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			assert.Equal(t, tt.wantPage.Limit, page.Limit, "Limit")
			assert.Equal(t, tt.wantPage.Offset, page.Offset, "Offset")
			assert.Equal(t, tt.wantPage.Total, page.Total, "Total")
			if len(page.Keys) > 0 {
				assert.Equal(t, tt.wantScopes, page.Keys[0].Scopes)
			}
		})
	}
}

func TestKeysListKeepsUnknownStatus(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, jsonReply(200,
		`{"ok":true,"keys":[{"id":"k","status":"paused","created_at":"2026-02-20T09:00:00Z"}]}`))
	c := newTestClient(t, srv.BaseURL())
	page, err := c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, KeyStatus("paused"), page.Keys[0].Status)
	assert.False(t, page.Keys[0].Status.Valid(), "paused is readable but not writable")
}

func TestKeysGetDecoding(t *testing.T) {
	t.Parallel()
	lastUsed := time.Date(2026, 7, 21, 6, 0, 0, 123456e3, time.UTC)
	tests := []struct {
		name string
		body string
		want *Key
	}{
		{name: "generation A, team_id, +00:00 with fraction", body: detailJSON, want: detailKey()},
		{
			name: "data envelope, workspace_id, Z, paused, unknown fields",
			body: `{"data":{"id":"k","workspace_id":"ws-1","name":"Terraform","prefix":"Hk29sd","status":"paused",` +
				`"scopes":["keys:read","keys:write"],"created_by":null,"created_at":"2026-07-20T10:11:12Z",` +
				`"updated_at":"2026-07-20T10:11:12.345+00:00","last_used_at":"2026-07-21T08:00:00.123456+02:00",` +
				`"expires_at":null,"soft_blocked":true,"daily_limit_requests":null,"extra":{"nested":[1,2]}}}`,
			want: &Key{
				ID: "k", TeamID: "ws-1", WorkspaceID: "ws-1", Name: "Terraform", Prefix: "Hk29sd", Status: "paused",
				Scopes: Scopes{"keys:read", "keys:write"}, SoftBlocked: true,
				CreatedAt: time.Date(2026, 7, 20, 10, 11, 12, 0, time.UTC), LastUsedAt: &lastUsed,
				UpdatedAt: Ptr(time.Date(2026, 7, 20, 10, 11, 12, 345e6, time.UTC)),
			},
		},
		{
			name: "team_id wins over workspace_id",
			body: `{"ok":true,"key":{"id":"k","team_id":"team","workspace_id":"ws","created_at":"2026-02-20T09:00:00+00:00"}}`,
			want: &Key{ID: "k", TeamID: "team", WorkspaceID: "team", CreatedAt: time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)},
		},
		{
			name: "postgres text timestamps",
			body: `{"ok":true,"key":{"id":"k","created_at":"2026-03-10 14:02:11.482+00","last_used_at":"2026-07-21T06:00:00.123456+00"}}`,
			want: &Key{ID: "k", CreatedAt: time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC), LastUsedAt: &lastUsed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(200, tt.body))
			c := newTestClient(t, srv.BaseURL())
			got, err := c.Keys.Get(context.Background(), testKeyID)
			require.NoError(t, err)
			assert.Equal(t, tt.want, inUTC(got))
		})
	}
}

func TestKeysCreateReturnsSecret(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, jsonReply(http.StatusCreated, createdJSON))
	c := newTestClient(t, srv.BaseURL())
	created, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "CI pipeline key"})
	require.NoError(t, err)

	assert.Equal(t, plaintextKey, created.Secret.Reveal())
	assert.Equal(t, testKeyID, created.ID)
	assert.Equal(t, "Q7xk2P", created.Prefix)
	assert.Equal(t, Scopes{"read", "write"}, created.Scopes)

	secretPart := plaintextKey[strings.LastIndexByte(plaintextKey, '_')+1:]
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{created, *created, created.Secret} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secretPart, "fmt %s of %T", verb, v)
		}
	}
	js, err := json.Marshal(created)
	require.NoError(t, err)
	assert.NotContains(t, string(js), secretPart)
}

func TestKeysUpdateReadsBackWhenAnswerHasNoKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		script      []reply
		wantMethods []string
	}{
		{"answer is a message: PATCH then GET", []reply{jsonReply(200, messageJSON), jsonReply(200, detailJSON)}, []string{"PATCH", "GET"}},
		{"answer carries the key", []reply{jsonReply(200, detailJSON)}, []string{"PATCH"}},
		{"answer carries the key in data", []reply{jsonReply(200, `{"data":`+detailObject+`}`)}, []string{"PATCH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.script...)
			c := newTestClient(t, srv.BaseURL())
			got, err := c.Keys.Update(context.Background(), testKeyID, &UpdateKeyParams{Name: Ptr("CI pipeline key")})
			require.NoError(t, err)
			assert.Equal(t, detailKey(), inUTC(got))
			assert.Equal(t, tt.wantMethods, srv.methods())
			for _, r := range srv.requests() {
				assert.Equal(t, testKeyPath, r.Path)
			}
		})
	}
}

func TestKeysDelete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reply   reply
		wantErr error
	}{
		{"200 with a message", jsonReply(200, `{"ok":true,"message":"Key \"CI\" deleted successfully"}`), nil},
		{"204 without a body", reply{Status: http.StatusNoContent}, nil},
		{"404", jsonReply(404, `{"ok":false,"error":"Key not found"}`), ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.reply)
			c := newTestClient(t, srv.BaseURL())
			err := c.Keys.Delete(context.Background(), testKeyID)
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
				var apiErr *APIError
				require.True(t, errors.As(err, &apiErr))
				assert.Equal(t, "Key not found", apiErr.Message)
			}
			assert.Equal(t, []string{"DELETE"}, srv.methods())
		})
	}
}

// The SDK checks names with strings.TrimSpace; the server with JavaScript's
// String.prototype.trim, which also strips U+FEFF. A name of only U+FEFF
// was therefore sent (now refused before any request): K2/K4/M2 answer 400 "name is required", and M4 (which
// accepts "") silently stores an empty name, where the README promises "an empty name ... is a *ValidationError naming the
// field, before any request".
func TestBOMOnlyNameIsRefused(t *testing.T) {
	srv := newTestServer(t, jsonReply(http.StatusBadRequest, `{"error":"bad_request","message":"name is required"}`))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	name := "\ufeff"
	ctx := context.Background()
	for what, err := range map[string]error{
		"Keys.Create":    errOnly(c.Keys.Create(ctx, &CreateKeyParams{Name: name, Template: KeyTemplateReadOnly})),
		"Keys.Update":    errOnly(c.Keys.Update(ctx, julyMgmtID, &UpdateKeyParams{Name: &name})),
		"APIKeys.Create": errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: name})),
		"APIKeys.Update": errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{Name: &name})),
	} {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: want a ValidationError, got %v", what, err)
		}
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
