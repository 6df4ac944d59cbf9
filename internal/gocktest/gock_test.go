// Package gocktest shows the gock recipes from the README. gock's state is
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

const (
	base    = "https://api.example.test/v1"
	mgmtKey = "phaseo_v1_mk_Hk29sdQ3xLmZ_8cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm"
	keyID   = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"
)

// Plain gock, with no InterceptClient line: gock.New replaces
// http.DefaultTransport, which a client made without WithHTTPClient uses as
// it is, even if the client was made before gock.New; gock.Off puts the
// SDK's shared transport back.
func TestPlainGockInterceptsDefaultClient(t *testing.T) {
	t.Cleanup(gock.OffAll)
	c, err := aistats.NewClient(
		aistats.WithAPIKey(mgmtKey),
		aistats.WithBaseURL(base),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond), // an unmatched request is retried
	)
	require.NoError(t, err)
	gock.New(base).
		Get("^/v1/keys/"+keyID+"$").
		MatchHeader("Authorization", "^Bearer "+mgmtKey+"$").
		Reply(200).
		JSON(map[string]any{"data": map[string]any{
			"id": keyID, "name": "CI", "status": "active", "limit": 25, "limit_reset": "monthly",
			"created_at": "2026-08-20T10:11:12.345678+00:00",
		}})

	key, err := c.APIKeys.Get(context.Background(), keyID)
	require.NoError(t, err)
	assert.Equal(t, "CI", key.Name)
	assert.Equal(t, 25.0, *key.Limit)
	assert.True(t, gock.IsDone(), "pending mocks: %d", len(gock.Pending()))
}

// With your own *http.Client, tell gock about it: it must have a non-nil
// Transport, or gock's pass-through panics.
func newInterceptedClient(t *testing.T) *aistats.Client {
	t.Helper()
	hc := &http.Client{Transport: http.DefaultTransport}
	gock.InterceptClient(hc)
	t.Cleanup(func() { gock.RestoreClient(hc); gock.OffAll() })
	c, err := aistats.NewClient(
		aistats.WithAPIKey(mgmtKey),
		aistats.WithBaseURL(base),
		aistats.WithHTTPClient(hc),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond),
	)
	require.NoError(t, err)
	return c
}

func TestRetryThenSuccessWithGock(t *testing.T) {
	c := newInterceptedClient(t)
	gock.New(base).Get("^/v1/management-keys$").Reply(503).JSON(map[string]any{"error": "busy"})
	gock.New(base).Get("^/v1/management-keys$").MatchParam("limit", "^10$").
		Reply(200).JSON(map[string]any{"data": []any{}})

	page, err := c.Keys.List(context.Background(), &aistats.ListKeysOptions{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, page.Keys)
	assert.Equal(t, 10, page.Limit)
	assert.True(t, gock.IsDone())
}

// The 2026-03 dialect under gock, for code that talks to an older deployment.
func TestMarch2026WithGock(t *testing.T) {
	t.Cleanup(gock.OffAll)
	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_test"), aistats.WithBaseURL(base),
		aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	gock.New(base).
		Get("^/v1/management/keys/9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40$").
		Reply(200).
		JSON(map[string]any{"ok": true, "key": map[string]any{
			"id": "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40", "name": "CI", "status": "active", "scopes": `["read"]`,
			"created_at": "2026-03-10T14:02:11.482+00:00",
		}})
	key, err := c.Keys.Get(context.Background(), "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
	require.NoError(t, err)
	assert.Equal(t, aistats.Scopes{"read"}, key.Scopes)
	assert.True(t, gock.IsDone())
}
