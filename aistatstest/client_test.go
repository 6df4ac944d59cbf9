package aistatstest_test

import (
	"context"
	"errors"
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

var versions = []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026}

func newVersionClient(t *testing.T, v aistats.APIVersion, opts ...aistats.Option) (*aistatstest.Server, *aistats.Client) {
	t.Helper()
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(v))
	t.Cleanup(srv.Close)
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	require.Equal(t, v, c.APIVersion())
	return srv, c
}

// forEachVersion runs fn against a fake and a client of each version.
func forEachVersion(t *testing.T, fn func(t *testing.T, srv *aistatstest.Server, c *aistats.Client), opts ...aistats.Option) {
	for _, v := range versions {
		t.Run(string(v), func(t *testing.T) {
			srv, c := newVersionClient(t, v, opts...)
			fn(t, srv, c)
		})
	}
}

func TestClientRoundTripJuly2026(t *testing.T) {
	srv, c := newVersionClient(t, aistats.APIVersionJuly2026)
	ctx := context.Background()

	created, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "CI", Template: aistats.KeyTemplateReadOnly})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(created.Secret.Reveal(), "phaseo_v1_mk_"+created.Prefix))
	stored, ok := srv.Key(created.ID)
	require.True(t, ok)
	assert.Equal(t, created.Scopes, stored.Scopes)
	assert.Contains(t, stored.Scopes, "keys:read")

	page, err := c.Keys.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Keys, 2, "the new key and the fake's own credential")
	assert.Equal(t, created.ID, page.Keys[0].ID)
	assert.Equal(t, 100, page.Limit)
	assert.Equal(t, -1, page.Total)

	updated, err := c.Keys.Update(ctx, created.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusPaused)})
	require.NoError(t, err)
	assert.Equal(t, aistats.KeyStatusPaused, updated.Status)
	require.NoError(t, c.Keys.Delete(ctx, created.ID))
	assert.ErrorIs(t, c.Keys.Delete(ctx, created.ID), aistats.ErrNotFound, "a repeat is the API's own 404")

	apiKey, err := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "svc", Limit: aistats.Ptr(10.0), LimitReset: aistats.LimitResetDaily})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(apiKey.Secret.Reveal(), "phaseo_v1_sk_"+apiKey.Prefix))
	rotated, err := c.APIKeys.Rotate(ctx, apiKey.ID, &aistats.RotateAPIKeyParams{PreviousKeyExpiresAt: aistats.Ptr(time.Now().Add(time.Hour))})
	require.NoError(t, err)
	assert.NotEqual(t, apiKey.ID, rotated.ID)
	assert.Equal(t, apiKey.Limit, rotated.Limit)
	require.NotNil(t, rotated.PreviousKeyExpiresAt)
	old, err := c.APIKeys.Get(ctx, apiKey.Hash)
	require.NoError(t, err)
	require.NotNil(t, old.ExpiresAt, "the grace period was applied to the old key")
	require.NoError(t, c.APIKeys.Delete(ctx, apiKey.ID))
	require.NoError(t, c.APIKeys.Delete(ctx, apiKey.ID), "a tombstone: deleting again is fine")
	all, err := c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{IncludeDisabled: true})
	require.NoError(t, err)
	assert.Equal(t, 2, all.Total)
	active, err := c.APIKeys.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, active.Total)

	for _, r := range srv.Requests() {
		assert.Equal(t, aistatstest.Redacted, r.Header.Get("Authorization"), "%s %s", r.Method, r.Path)
	}
}

func TestClientRoundTripMarch2026(t *testing.T) {
	srv, c := newVersionClient(t, aistats.APIVersionMarch2026)
	ctx := context.Background()

	created, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "CI", Scopes: aistats.Scopes{"read", "write"}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(created.Secret.Reveal(), "aistats_v1_sk_"+created.Prefix))
	stored, ok := srv.Key(created.ID)
	require.True(t, ok)
	assert.Equal(t, aistats.Scopes{"read", "write"}, stored.Scopes)

	page, err := c.Keys.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, created.ID, page.Keys[0].ID)
	assert.Equal(t, 50, page.Limit)
	assert.Equal(t, 1, page.Total)

	got, err := c.Keys.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, srv.TeamID, got.TeamID)
	assert.Equal(t, srv.OwnerID, got.CreatedBy)

	updated, err := c.Keys.Update(ctx, created.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusDisabled)})
	require.NoError(t, err)
	assert.Equal(t, aistats.KeyStatusDisabled, updated.Status)

	require.NoError(t, c.Keys.Delete(ctx, created.ID))
	assert.Empty(t, srv.Keys())
	_, err = c.Keys.Get(ctx, created.ID)
	assert.ErrorIs(t, err, aistats.ErrNotFound)

	for _, r := range srv.Requests() {
		assert.Equal(t, aistatstest.Redacted, r.Header.Get("Authorization"), "%s %s", r.Method, r.Path)
	}
}

func TestClientRetriesThroughInjectedFaults(t *testing.T) {
	forEachVersion(t, func(t *testing.T, srv *aistatstest.Server, c *aistats.Client) {
		seeded := srv.SeedKeys(2)
		srv.Inject(aistatstest.ServiceUnavailable(1))
		srv.Inject(aistatstest.BadGatewayHTML(1))

		page, err := c.Keys.List(context.Background(), nil)
		require.NoError(t, err)
		assert.Equal(t, seeded[1].ID, page.Keys[0].ID)
		var faults []string
		for _, r := range srv.Requests() {
			faults = append(faults, r.Fault)
		}
		assert.Equal(t, []string{"respond 503", "respond 502", ""}, faults)
	})
}

func TestClientOptionsWin(t *testing.T) {
	forEachVersion(t, func(t *testing.T, srv *aistatstest.Server, c *aistats.Client) {
		srv.Inject(aistatstest.ServiceUnavailable(1))
		_, err := c.Keys.List(context.Background(), nil)
		require.ErrorIs(t, err, aistats.ErrServer)
		var apiErr *aistats.APIError
		require.True(t, errors.As(err, &apiErr))
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, 1, srv.RequestCount(), "WithMaxRetries(0) replaced the default")
	}, aistats.WithMaxRetries(0))
}

func TestClientSeesTruncatedBody(t *testing.T) {
	forEachVersion(t, func(t *testing.T, srv *aistatstest.Server, c *aistats.Client) {
		key := srv.AddKey(aistatstest.KeySpec{Name: "a"})
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Truncate, Times: -1})
		_, err := c.Keys.Get(context.Background(), key.ID)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 1, srv.RequestCount())
	}, aistats.WithMaxRetries(0))
}
