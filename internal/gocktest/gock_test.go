// Package gocktest shows the gock recipe from the README. gock's state is
// global, so these tests live in their own package and never run in
// parallel.
package gocktest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const base = "https://api.example.test/v1"

func newClient(t *testing.T) *aistats.Client {
	t.Helper()
	// gock wraps the Transport of the *http.Client we hand to the SDK; it
	// must be non-nil or gock's pass-through panics.
	hc := &http.Client{Transport: http.DefaultTransport}
	gock.InterceptClient(hc)
	t.Cleanup(func() { gock.RestoreClient(hc); gock.OffAll() })
	c, err := aistats.NewClient(
		aistats.WithAPIKey("aistats_v1_sk_test"),
		aistats.WithBaseURL(base),
		aistats.WithHTTPClient(hc),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond),
	)
	require.NoError(t, err)
	return c
}

func TestGetWithGock(t *testing.T) {
	c := newClient(t)
	gock.New(base).
		Get("^/v1/management/keys/9b2f6c1e$").
		MatchHeader("Authorization", "^Bearer aistats_v1_sk_test$").
		Reply(200).
		JSON(map[string]any{"ok": true, "key": map[string]any{
			"id": "9b2f6c1e", "name": "CI", "status": "active", "scopes": `["read"]`,
			"created_at": "2026-03-10T14:02:11.482+00:00",
		}})

	key, err := c.Keys.Get(context.Background(), "9b2f6c1e")
	require.NoError(t, err)
	assert.Equal(t, "CI", key.Name)
	assert.Equal(t, aistats.Scopes{"read"}, key.Scopes)
	assert.True(t, gock.IsDone(), "pending mocks: %d", len(gock.Pending()))
}

func TestRetryThenSuccessWithGock(t *testing.T) {
	c := newClient(t)
	gock.New(base).Get("^/v1/management/keys$").Reply(503).JSON(map[string]any{"ok": false, "error": "busy"})
	gock.New(base).Get("^/v1/management/keys$").MatchParam("limit", "^10$").
		Reply(200).JSON(map[string]any{"ok": true, "limit": 10, "offset": 0, "total": 0, "keys": []any{}})

	page, err := c.Keys.List(context.Background(), &aistats.ListKeysOptions{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, page.Keys)
	assert.Equal(t, 10, page.Limit)
	assert.True(t, gock.IsDone())
}

// Plain gock, with no InterceptClient line: gock.New replaces
// http.DefaultTransport, which a client made without WithHTTPClient uses as
// it is, even if the client was made before gock.New; gock.Off puts the
// SDK's shared transport back.
func TestPlainGockInterceptsDefaultClient(t *testing.T) {
	t.Cleanup(gock.OffAll)
	c, err := aistats.NewClient(
		aistats.WithAPIKey("aistats_v1_sk_test"),
		aistats.WithBaseURL(base),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond),
	)
	require.NoError(t, err)
	gock.New(base).
		Get("^/v1/management/keys/9b2f6c1e$").
		MatchHeader("Authorization", "^Bearer aistats_v1_sk_test$").
		Reply(200).
		JSON(map[string]any{"ok": true, "key": map[string]any{
			"id": "9b2f6c1e", "name": "CI", "status": "active", "scopes": `["read"]`,
			"created_at": "2026-03-10T14:02:11.482+00:00",
		}})

	key, err := c.Keys.Get(context.Background(), "9b2f6c1e")
	require.NoError(t, err)
	assert.Equal(t, "CI", key.Name)
	assert.True(t, gock.IsDone(), "pending mocks: %d", len(gock.Pending()))
}
