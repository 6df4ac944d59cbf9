package aistats

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var expiry = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// TestJulyRequestShape pins every 2026-07 request: method, path, query and
// body, as contract-2026-07.md §5–§6 and §9.2 describe them.
func TestJulyRequestShape(t *testing.T) {
	t.Parallel()
	const mPath, aPath = "/v1/management-keys", "/v1/keys"
	tests := []struct {
		name              string
		reply             reply
		call              func(ctx context.Context, c *Client) error
		method, path, q   string
		body              string
		replyReadBackNone bool
	}{
		{name: "keys list, defaults", reply: jsonReply(200, julyMgmtList),
			call:   func(ctx context.Context, c *Client) error { return errOnly(c.Keys.List(ctx, nil)) },
			method: "GET", path: mPath},
		{name: "keys list, window", reply: jsonReply(200, julyMgmtList),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.List(ctx, &ListKeysOptions{Limit: 1000, Offset: 20}))
			},
			method: "GET", path: mPath, q: "limit=250&offset=20"},
		{name: "keys create, template", reply: jsonReply(201, julyMgmtCreated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Create(ctx, &CreateKeyParams{Name: "Terraform", Template: KeyTemplateReadWrite}))
			},
			method: "POST", path: mPath, body: `{"name":"Terraform","template":"read-write"}`},
		{name: "keys create, scopes paused expiring", reply: jsonReply(201, julyMgmtCreated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Create(ctx, &CreateKeyParams{Name: "T", Scopes: Scopes{"keys:read", "keys:write"},
					Status: KeyStatusPaused, ExpiresAt: &expiry}))
			},
			method: "POST", path: mPath,
			body: `{"name":"T","scopes":["keys:read","keys:write"],"paused":true,"expires_at":"2027-01-01T00:00:00.000Z"}`},
		{name: "keys create, active is the default", reply: jsonReply(201, julyMgmtCreated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Create(ctx, &CreateKeyParams{Name: "T", Template: KeyTemplateReadOnly, Status: KeyStatusActive}))
			},
			method: "POST", path: mPath, body: `{"name":"T","template":"read-only"}`},
		{name: "keys get", reply: jsonReply(200, julyMgmtJSON),
			call:   func(ctx context.Context, c *Client) error { return errOnly(c.Keys.Get(ctx, julyMgmtID)) },
			method: "GET", path: mPath + "/" + julyMgmtID},
		{name: "keys update, every field", reply: jsonReply(200, julyMgmtJSON),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Update(ctx, julyMgmtID, &UpdateKeyParams{Name: Ptr("n"), Status: Ptr(KeyStatusPaused),
					SoftBlocked: Ptr(false), Scopes: Scopes{"keys:read"}, ExpiresAt: &expiry}))
			},
			method: "PATCH", path: mPath + "/" + julyMgmtID,
			body: `{"name":"n","paused":true,"softBlocked":false,"scopes":["keys:read"],"expiresAt":"2027-01-01T00:00:00.000Z"}`},
		{name: "keys update, clear expiry with expiresAt null (expires_at null is ignored)", reply: jsonReply(200, julyMgmtJSON),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Update(ctx, julyMgmtID, &UpdateKeyParams{ExpiresAt: Ptr(time.Time{})}))
			},
			method: "PATCH", path: mPath + "/" + julyMgmtID, body: `{"expiresAt":null}`},
		{name: "keys update, reactivate and template", reply: jsonReply(200, julyMgmtJSON),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.Keys.Update(ctx, julyMgmtID, &UpdateKeyParams{Status: Ptr(KeyStatusActive), Template: KeyTemplateFullControl}))
			},
			method: "PATCH", path: mPath + "/" + julyMgmtID, body: `{"paused":false,"template":"full-control"}`},
		{name: "keys delete", reply: jsonReply(200, `{"deleted": true}`),
			call:   func(ctx context.Context, c *Client) error { return c.Keys.Delete(ctx, julyMgmtID) },
			method: "DELETE", path: mPath + "/" + julyMgmtID},

		{name: "api keys list, defaults", reply: jsonReply(200, julyAPIKeyList),
			call:   func(ctx context.Context, c *Client) error { return errOnly(c.APIKeys.List(ctx, nil)) },
			method: "GET", path: aPath},
		{name: "api keys list, every option", reply: jsonReply(200, julyAPIKeyList),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.APIKeys.List(ctx, &ListAPIKeysOptions{IncludeDisabled: true, WorkspaceID: julyWS, Limit: 10, Offset: 30}))
			},
			method: "GET", path: aPath, q: "include_disabled=true&limit=10&offset=30&workspace_id=" + julyWS},
		{name: "api keys create, name only", reply: jsonReply(201, julyAPIKeyCreated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "CI"}))
			},
			method: "POST", path: aPath, body: `{"name":"CI"}`},
		{name: "api keys create, every field", reply: jsonReply(201, julyAPIKeyCreated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "CI", Limit: Ptr(25.5), LimitReset: LimitResetWeekly,
					ExpiresAt: &expiry, Disabled: true, SoftBlocked: true, WorkspaceID: julyWS}))
			},
			method: "POST", path: aPath,
			body: `{"name":"CI","limit":25.5,"limit_reset":"weekly","expires_at":"2027-01-01T00:00:00.000Z","disabled":true,` +
				`"soft_blocked":true,"workspace_id":"` + julyWS + `"}`},
		{name: "api keys get by hash", reply: jsonReply(200, julyAPIKeyJSON),
			call:   func(ctx context.Context, c *Client) error { return errOnly(c.APIKeys.Get(ctx, julyHash)) },
			method: "GET", path: aPath + "/" + julyHash},
		{name: "api keys update, every field", reply: jsonReply(200, julyAPIKeyJSON),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{Name: Ptr("n"), Disabled: Ptr(false),
					SoftBlocked: Ptr(true), ExpiresAt: Ptr(time.Time{}), Limit: Ptr(7.0), LimitReset: Ptr(LimitResetDaily)}))
			},
			method: "PATCH", path: aPath + "/" + julyAPIKeyID,
			body: `{"name":"n","disabled":false,"soft_blocked":true,"expires_at":null,"limit":7,"limit_reset":"daily"}`},
		{name: "api keys delete", reply: jsonReply(200, `{"deleted": true}`),
			call:   func(ctx context.Context, c *Client) error { return c.APIKeys.Delete(ctx, julyAPIKeyID) },
			method: "DELETE", path: aPath + "/" + julyAPIKeyID},
		{name: "api keys rotate, nil params", reply: jsonReply(200, julyRotated),
			call:   func(ctx context.Context, c *Client) error { return errOnly(c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)) },
			method: "POST", path: aPath + "/" + julyAPIKeyID + "/rotate", body: `{}`},
		{name: "api keys rotate, grace period", reply: jsonReply(201, julyRotated),
			call: func(ctx context.Context, c *Client) error {
				return errOnly(c.APIKeys.Rotate(ctx, julyAPIKeyID, &RotateAPIKeyParams{Name: "CI v2", PreviousKeyExpiresAt: &expiry}))
			},
			method: "POST", path: aPath + "/" + julyAPIKeyID + "/rotate",
			body: `{"name":"CI v2","new_name":"CI v2","previous_key_expires_at":"2027-01-01T00:00:00.000Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.reply)
			c := newJulyClient(t, srv.BaseURL())
			require.NoError(t, tt.call(context.Background(), c))
			got := srv.only(t) // 2026-07 never reads back after an update
			assert.Equal(t, tt.method, got.Method)
			assert.Equal(t, tt.path, got.Path)
			assert.Equal(t, tt.q, got.RawQuery)
			assert.Equal(t, []string{"Bearer " + julyKey}, got.Header.Values("Authorization"))
			if tt.body == "" {
				assert.Empty(t, got.Body)
				assert.Empty(t, got.Header.Values("Content-Type"))
				return
			}
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.body, string(got.Body))
			assert.NotContains(t, string(got.Body), "scopes\":[]", "no empty scope list is sent")
		})
	}
}

func TestJulyDecoding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("keys", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, jsonReply(200, julyMgmtList), jsonReply(201, julyMgmtCreated), jsonReply(200, julyMgmtJSON),
			jsonReply(200, julyMgmtJSON))
		c := newJulyClient(t, srv.BaseURL())
		page, err := c.Keys.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, []*Key{julyMgmtKey()}, mapKeys(page.Keys, inUTC))
		assert.Equal(t, 100, page.Limit, "limit 0 asks for the server's default page, reported")
		assert.Equal(t, -1, page.Total, "2026-07 reports no total")
		_, more := page.NextOptions()
		assert.False(t, more, "1 of 100 is a short page")

		created, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "T", Template: KeyTemplateReadOnly})
		require.NoError(t, err)
		assert.Equal(t, julyMgmtKey(), inUTC(&created.Key))
		assert.Equal(t, julyNewMK, created.Secret.Reveal())
		assert.Equal(t, "phaseo_v1_mk_Zz81ab…", created.Secret.String())

		got, err := c.Keys.Get(ctx, julyMgmtID)
		require.NoError(t, err)
		assert.Equal(t, julyMgmtKey(), inUTC(got))
		usd, ok := got.Limits.Daily.CostUSD()
		assert.True(t, ok)
		assert.Equal(t, 5.0, usd)

		updated, err := c.Keys.Update(ctx, julyMgmtID, &UpdateKeyParams{Name: Ptr("Terraform")})
		require.NoError(t, err)
		assert.Equal(t, julyMgmtKey(), inUTC(updated))
		assert.Equal(t, 4, srv.count())
	})
	t.Run("api keys", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, jsonReply(200, julyAPIKeyList), jsonReply(201, julyAPIKeyCreated), jsonReply(200, julyAPIKeyJSON),
			jsonReply(200, julyRotated))
		c := newJulyClient(t, srv.BaseURL())
		page, err := c.APIKeys.List(ctx, &ListAPIKeysOptions{Limit: 1})
		require.NoError(t, err)
		assert.Equal(t, []*APIKey{julyAPIKey()}, page.Keys)
		assert.Equal(t, 7, page.Total, "total_count")
		next, more := page.NextOptions()
		require.True(t, more, "a full page asks for the next")
		assert.Equal(t, ListAPIKeysOptions{Limit: 1, Offset: 1}, *next)

		created, err := c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "CI"})
		require.NoError(t, err)
		assert.Equal(t, julyAPIKey(), &created.APIKey)
		assert.Equal(t, julySecret, created.Secret.Reveal())

		got, err := c.APIKeys.Get(ctx, julyAPIKeyID)
		require.NoError(t, err)
		assert.Equal(t, julyAPIKey(), got)

		rotated, err := c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
		require.NoError(t, err)
		assert.Equal(t, julyAPIKey(), &rotated.APIKey)
		assert.Equal(t, julySecret, rotated.Secret.Reveal())
		assert.Equal(t, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), *rotated.PreviousKeyExpiresAt)
	})
	t.Run("api key usage fields of newer servers", func(t *testing.T) {
		t.Parallel()
		body := strings.Replace(julyAPIKeyJSON, `"expires_at": null`, `"expires_at": null, "scopes": "[]", "limit_remaining": 20.5,
			"usage": 4.5, "usage_daily": 0.5, "usage_weekly": 1.5, "usage_monthly": 4.5,
			"limits": {"daily": {"requests": 100, "cost": null}, "weekly": {"requests": null, "cost": 12.25}, "monthly": {}},
			"usage_details": {"total": {"requests": 42, "cost": 4.5}, "daily": {"requests": 3, "cost": 0.5}}`, 1)
		srv := newTestServer(t, jsonReply(200, body))
		got, err := newJulyClient(t, srv.BaseURL()).APIKeys.Get(ctx, julyAPIKeyID)
		require.NoError(t, err)
		assert.Equal(t, Ptr(20.5), got.LimitRemaining)
		assert.Equal(t, &APIKeyUsage{Total: UsageWindow{42, 4.5}, Daily: UsageWindow{3, 0.5}, Weekly: UsageWindow{0, 1.5},
			Monthly: UsageWindow{0, 4.5}}, got.Usage)
		assert.Equal(t, Limits{Daily: WindowLimit{Requests: Ptr[int64](100)}, Weekly: WindowLimit{CostNanos: Ptr[int64](12.25e9)}}, got.Limits)
	})
	t.Run("deleted api key", func(t *testing.T) {
		t.Parallel()
		body := strings.NewReplacer(`"status": "active"`, `"status": "deleted"`, `"disabled": false`, `"disabled": true`,
			`"hash": "`+julyHash+`"`, `"hash": "deleted:`+julyAPIKeyID+`"`).Replace(julyAPIKeyJSON)
		srv := newTestServer(t, jsonReply(200, body))
		got, err := newJulyClient(t, srv.BaseURL()).APIKeys.Get(ctx, julyAPIKeyID)
		require.NoError(t, err)
		assert.Equal(t, KeyStatusDeleted, got.Status)
		assert.True(t, got.Disabled)
		assert.Equal(t, "deleted:"+julyAPIKeyID, got.Hash)
	})
}

func mapKeys(ks []*Key, f func(*Key) *Key) []*Key {
	out := make([]*Key, len(ks))
	for i, k := range ks {
		out[i] = f(k)
	}
	return out
}

// TestJulyRejectsBadInputBeforeIO: every 2026-07 argument check fails with
// a *ValidationError naming the field and sends nothing.
func TestJulyRejectsBadInputBeforeIO(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type bad struct {
		name  string
		call  func(*Client) error
		field string
	}
	keysCreate := func(p CreateKeyParams) func(*Client) error {
		return func(c *Client) error { return errOnly(c.Keys.Create(ctx, &p)) }
	}
	keysUpdate := func(p UpdateKeyParams) func(*Client) error {
		return func(c *Client) error { return errOnly(c.Keys.Update(ctx, julyMgmtID, &p)) }
	}
	apiCreate := func(p CreateAPIKeyParams) func(*Client) error {
		return func(c *Client) error { return errOnly(c.APIKeys.Create(ctx, &p)) }
	}
	apiUpdate := func(p UpdateAPIKeyParams) func(*Client) error {
		return func(c *Client) error { return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &p)) }
	}
	tests := []bad{
		{"keys list, team id", func(c *Client) error { return errOnly(c.Keys.List(ctx, &ListKeysOptions{TeamID: "t"})) }, "TeamID"},
		{"keys create, nil", func(c *Client) error { return errOnly(c.Keys.Create(ctx, nil)) }, "params"},
		{"keys create, blank name", keysCreate(CreateKeyParams{Name: " ", Template: KeyTemplateReadOnly}), "Name"},
		{"keys create, neither scopes nor template", keysCreate(CreateKeyParams{Name: "n"}), "Scopes"},
		{"keys create, both", keysCreate(CreateKeyParams{Name: "n", Scopes: Scopes{"keys:read"}, Template: KeyTemplateReadOnly}), "Scopes"},
		{"keys create, empty scopes", keysCreate(CreateKeyParams{Name: "n", Scopes: Scopes{}}), "Scopes"},
		{"keys create, two names in one scope", keysCreate(CreateKeyParams{Name: "n", Scopes: Scopes{"keys:read keys:write"}}), "Scopes[0]"},
		{"keys create, unknown template", keysCreate(CreateKeyParams{Name: "n", Template: "readonly"}), "Template"},
		{"keys create, disabled status", keysCreate(CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly, Status: KeyStatusDisabled}), "Status"},
		{"keys create, soft blocked", keysCreate(CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly, SoftBlocked: Ptr(true)}), "SoftBlocked"},
		{"keys create, team id", keysCreate(CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly, TeamID: "t"}), "TeamID"},
		{"keys update, nothing", keysUpdate(UpdateKeyParams{}), "params"},
		{"keys update, empty name", keysUpdate(UpdateKeyParams{Name: Ptr("")}), "Name"},
		{"keys update, revoked", keysUpdate(UpdateKeyParams{Status: Ptr(KeyStatusRevoked)}), "Status"},
		{"keys update, both", keysUpdate(UpdateKeyParams{Scopes: Scopes{"keys:read"}, Template: KeyTemplateReadOnly}), "Scopes"},
		{"keys update, empty scopes", keysUpdate(UpdateKeyParams{Scopes: Scopes{}}), "Scopes"},
		{"keys get, not a uuid", func(c *Client) error { return errOnly(c.Keys.Get(ctx, "Hk29sd")) }, "id"},
		{"keys get, a hash", func(c *Client) error { return errOnly(c.Keys.Get(ctx, julyHash)) }, "id"},

		{"api list, negative limit", func(c *Client) error { return errOnly(c.APIKeys.List(ctx, &ListAPIKeysOptions{Limit: -1})) }, "Limit"},
		{"api create, nil", func(c *Client) error { return errOnly(c.APIKeys.Create(ctx, nil)) }, "params"},
		{"api create, empty name", apiCreate(CreateAPIKeyParams{}), "Name"},
		{"api create, negative limit", apiCreate(CreateAPIKeyParams{Name: "n", Limit: Ptr(-1.0)}), "Limit"},
		{"api create, NaN limit", apiCreate(CreateAPIKeyParams{Name: "n", Limit: Ptr(nan())}), "Limit"},
		{"api create, unknown window", apiCreate(CreateAPIKeyParams{Name: "n", Limit: Ptr(1.0), LimitReset: "yearly"}), "LimitReset"},
		{"api create, window without limit", apiCreate(CreateAPIKeyParams{Name: "n", LimitReset: LimitResetDaily}), "LimitReset"},
		{"api update, nothing", apiUpdate(UpdateAPIKeyParams{}), "params"},
		{"api update, empty name", apiUpdate(UpdateAPIKeyParams{Name: Ptr(" ")}), "Name"},
		{"api update, negative limit", apiUpdate(UpdateAPIKeyParams{Limit: Ptr(-0.01)}), "Limit"},
		{"api update, empty window", apiUpdate(UpdateAPIKeyParams{LimitReset: Ptr(LimitReset(""))}), "LimitReset"},
		{"api update, unknown window", apiUpdate(UpdateAPIKeyParams{LimitReset: Ptr(LimitReset("hourly"))}), "LimitReset"},
	}
	for _, id := range []string{"", "current", "Q7xk2P", julyHash[:63], julyHash + "0", strings.ToUpper(julyHash), "deleted:" + julyHash, "{" + julyAPIKeyID + "}", strings.ReplaceAll(julyAPIKeyID, "-", ""), "../keys"} {
		tests = append(tests,
			bad{"api get " + id, func(c *Client) error { return errOnly(c.APIKeys.Get(ctx, id)) }, "id"},
			bad{"api update " + id, func(c *Client) error { return errOnly(c.APIKeys.Update(ctx, id, &UpdateAPIKeyParams{Name: Ptr("n")})) }, "id"},
			bad{"api delete " + id, func(c *Client) error { return c.APIKeys.Delete(ctx, id) }, "id"},
			bad{"api rotate " + id, func(c *Client) error { return errOnly(c.APIKeys.Rotate(ctx, id, nil)) }, "id"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			c := newJulyClient(t, srv.BaseURL())
			var err error
			require.NotPanics(t, func() { err = tt.call(c) })
			requireValidationError(t, err, tt.field)
			assert.Zero(t, srv.count(), "no request may be sent")
		})
	}
}

// A deleted key's hash, as the API returns it, addresses the tombstone.
func TestDeletedHashAddressesTombstone(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, jsonReply(200, julyAPIKeyJSON))
	_, err := newJulyClient(t, srv.BaseURL()).APIKeys.Get(context.Background(), "deleted:"+julyAPIKeyID)
	require.NoError(t, err)
	assert.Equal(t, "/v1/keys/deleted:"+julyAPIKeyID, srv.only(t).Path)
}

// Rotate on a server from before rotation existed: Hono's text/plain 404.
func TestRotateOnServerWithoutRotation(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, reply{Status: 404, Header: http.Header{"Content-Type": {"text/plain"}}, Body: "404 Not Found"})
	_, err := newJulyClient(t, srv.BaseURL()).APIKeys.Rotate(context.Background(), julyAPIKeyID, nil)
	assert.ErrorIs(t, err, ErrEndpointNotFound)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnknownOutcome, "a 404 means nothing was created")
}
