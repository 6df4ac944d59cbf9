package aistats_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/require"
)

// Rotate's godoc lists what the new key keeps; the fake does the same as
// the newest server source: limit and window, soft-block and workspace
// kept; name derived, expiry and pause not kept.
func TestRotateKeepsExactlyTheDocumentedSettings(t *testing.T) {
	srv := newFake(t, july)
	limit, expires := 12.5, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	old := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "ci", Status: aistats.KeyStatusPaused, SoftBlocked: true,
		Limit: &limit, LimitReset: aistats.LimitResetWeekly, ExpiresAt: &expires})
	c := fakeClient(t, srv)

	got, err := c.APIKeys.Rotate(context.Background(), old.ID, nil)
	require.NoError(t, err)
	require.NotEqual(t, old.ID, got.ID)
	require.Equal(t, 12.5, *got.Limit, "limit kept")
	require.Equal(t, aistats.LimitResetWeekly, got.LimitReset, "window kept")
	require.True(t, got.SoftBlocked, "soft-block kept")
	require.Equal(t, old.WorkspaceID, got.WorkspaceID)
	require.Equal(t, "ci (rotated)", got.Name)
	require.Nil(t, got.ExpiresAt, "the expiry is not kept")
	require.Equal(t, aistats.KeyStatusActive, got.Status, "a pause is not kept")
	require.Nil(t, got.PreviousKeyExpiresAt)

	stillOld, err := c.APIKeys.Get(context.Background(), old.ID)
	require.NoError(t, err)
	require.Equal(t, &expires, stillOld.ExpiresAt, "the old key is untouched")
}

// A server without the rotation route: ErrEndpointNotFound, whose message
// names the fallback and never advises API version 2026-03 (its routes
// were removed on 2026-04-29).
func TestRotateWithoutRouteSaysWhatToDo(t *testing.T) {
	srv := newFake(t, july, aistatstest.WithoutRotation())
	old := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "ci"})
	c := fakeClient(t, srv)
	_, err := c.APIKeys.Rotate(context.Background(), old.ID, nil)
	require.ErrorIs(t, err, aistats.ErrEndpointNotFound)
	require.NotErrorIs(t, err, aistats.ErrNotFound)
	require.NotErrorIs(t, err, aistats.ErrUnknownOutcome, "a 404 route: nothing was minted")
	for _, s := range []string{"no API key rotation route", "after 2026-08", "APIKeys.Create", "APIKeys.Delete"} {
		require.Contains(t, err.Error(), s)
	}
	require.NotContains(t, err.Error(), "2026-03")
	require.NotContains(t, err.Error(), "APIVersionMarch2026")
	var apiErr *aistats.APIError
	require.True(t, errors.As(err, &apiErr))
}

// Every other missing route on 2026-07 explains itself without sending
// the caller to API version 2026-03.
func TestEndpointNotFoundJulyDoesNotAdviseMarch(t *testing.T) {
	srv := newFake(t, july)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Times: -1, Status: 404, Body: "404 Not Found"})
	c := fakeClient(t, srv)
	for name, call := range map[string]func() error{
		"Keys.List":    func() error { _, err := c.Keys.List(context.Background(), nil); return err },
		"APIKeys.List": func() error { _, err := c.APIKeys.List(context.Background(), nil); return err },
		"APIKeys.Delete": func() error {
			return c.APIKeys.Delete(context.Background(), "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21")
		},
	} {
		err := call()
		require.ErrorIs(t, err, aistats.ErrEndpointNotFound, name)
		require.Contains(t, err.Error(), "base URL", name)
		require.NotContains(t, err.Error(), "2026-03", name)
		require.NotContains(t, err.Error(), "APIVersionMarch2026", name)
	}
}

// Deleting rewrites an API key's hash to "deleted:<id>": by the original
// hash, Get and a repeat Delete are ErrNotFound; by id both still find the
// tombstone.
func TestDeletedAPIKeyByHashAndByID(t *testing.T) {
	srv := newFake(t, july)
	k := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "ci"})
	c := fakeClient(t, srv)
	ctx := context.Background()
	require.NoError(t, c.APIKeys.Delete(ctx, k.Hash))

	_, err := c.APIKeys.Get(ctx, k.Hash)
	require.ErrorIs(t, err, aistats.ErrNotFound)
	require.ErrorIs(t, c.APIKeys.Delete(ctx, k.Hash), aistats.ErrNotFound)

	got, err := c.APIKeys.Get(ctx, k.ID)
	require.NoError(t, err)
	require.Equal(t, aistats.KeyStatusDeleted, got.Status)
	require.Equal(t, "deleted:"+k.ID, got.Hash)
	require.NoError(t, c.APIKeys.Delete(ctx, k.ID), "a repeat by id succeeds")
	_, err = c.APIKeys.Get(ctx, got.Hash)
	require.NoError(t, err, "the tombstone's own hash finds it")
}

// Removing a limit and setting one with its window, through the fake.
func TestUpdateLimitKeepsTheWindowWritten(t *testing.T) {
	srv := newFake(t, july)
	five := 5.0
	k := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "ci", Limit: &five, LimitReset: aistats.LimitResetDaily})
	c := fakeClient(t, srv)
	ctx := context.Background()

	got, err := c.APIKeys.Update(ctx, k.ID, &aistats.UpdateAPIKeyParams{Limit: aistats.Ptr(7.0), LimitReset: aistats.Ptr(aistats.LimitResetDaily)})
	require.NoError(t, err)
	require.Equal(t, 7.0, *got.Limit)
	require.Equal(t, aistats.LimitResetDaily, got.LimitReset, "raised, still daily")

	got, err = c.APIKeys.Update(ctx, k.ID, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("renamed")})
	require.NoError(t, err)
	require.Equal(t, 7.0, *got.Limit, "left out, left alone")
	require.Equal(t, aistats.LimitResetDaily, got.LimitReset)

	got, err = c.APIKeys.Update(ctx, k.ID, &aistats.UpdateAPIKeyParams{RemoveLimit: true})
	require.NoError(t, err)
	require.Nil(t, got.Limit, "removed")
}
