package aistats_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
)

// hammer runs call(w, i) opsEach times in each of workers goroutines at
// once and reports every error.
func hammer(t *testing.T, workers, opsEach int, call func(w, i int) error) {
	t.Helper()
	errs := make(chan error, workers*opsEach)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range opsEach {
				if err := call(w, i); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// (8) One Client shared by 64 goroutines (run with -race).
func TestConcurrentClientUse(t *testing.T) {
	t.Parallel()
	const workers, opsEach = 64, 20
	var served, expected atomic.Int64
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { served.Add(1); secCanned(w, r) })
	c := secClient(t, srv.URL)
	ctx := context.Background()
	ops := []struct {
		requests int64
		run      func() error
	}{
		{1, func() error { _, err := c.Keys.List(ctx, nil); return err }},
		{1, func() error { _, err := c.Keys.Get(ctx, secKeyID); return err }},
		{1, func() error {
			ck, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})
			if err == nil && ck.Secret.Reveal() != leakKeyPlain {
				err = errors.New("wrong plaintext")
			}
			return err
		}},
		{2, func() error { // PATCH, then the read-back GET
			_, err := c.Keys.Update(ctx, secKeyID, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})
			return err
		}},
		{1, func() error { return c.Keys.Delete(ctx, secKeyID) }},
		{1, func() error {
			n := 0
			for _, err := range c.Keys.All(ctx, nil) {
				if err != nil {
					return err
				}
				n++
			}
			if n != 1 {
				return fmt.Errorf("All yielded %d keys, want 1", n)
			}
			return nil
		}},
	}
	hammer(t, workers, opsEach, func(w, i int) error {
		op := ops[(w+i)%len(ops)]
		expected.Add(op.requests)
		return op.run()
	})
	assert.Equal(t, expected.Load(), served.Load(), "one request per call, no retries")
}

// (8) One 2026-07 Client shared by 64 goroutines running every call of both
// services against the fake (run with -race): each succeeds with one
// request, and the fake ends with exactly the keys the calls made.
func TestConcurrentClientUseJuly(t *testing.T) {
	t.Parallel()
	const workers, opsEach = 64, 8
	srv := newFake(t, july)
	mgmt := srv.AddKey(aistatstest.KeySpec{Name: "shared", Scopes: `["keys:read"]`})
	shared := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "shared"})
	doomed := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "doomed"})
	c := fakeClient(t, srv)
	ctx := context.Background()
	var expected, minted atomic.Int64
	firstPage := func(seq func(func(int, error) bool)) error {
		for n, err := range seq {
			if err != nil {
				return err
			}
			if n == 0 {
				return errors.New("empty first page")
			}
			break // one page: one request
		}
		return nil
	}
	ops := []struct {
		requests, mints int64
		run             func() error
	}{
		{1, 0, func() error { return errOnly(c.Keys.List(ctx, nil)) }},
		{1, 0, func() error { return errOnly(c.Keys.Get(ctx, mgmt.ID)) }},
		{1, 0, func() error {
			return errOnly(c.Keys.Update(ctx, mgmt.ID, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")}))
		}},
		{2, 0, func() error { // create, then delete it again
			ck, err := c.Keys.Create(ctx, createKeyParams(july, "temp"))
			if err != nil {
				return err
			}
			if !strings.HasPrefix(ck.Secret.Reveal(), "phaseo_v1_mk_") {
				return errors.New("no management-key plaintext")
			}
			return c.Keys.Delete(ctx, ck.ID)
		}},
		{1, 0, func() error {
			return firstPage(mapSeq(c.Keys.Pages(ctx, &aistats.ListKeysOptions{Limit: 2}), func(p *aistats.KeyPage) int { return len(p.Keys) }))
		}},
		{1, 0, func() error { return errOnly(c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{Limit: 5})) }},
		{1, 0, func() error { return errOnly(c.APIKeys.Get(ctx, shared.ID)) }},
		{1, 0, func() error {
			return errOnly(c.APIKeys.Update(ctx, shared.ID, &aistats.UpdateAPIKeyParams{Limit: aistats.Ptr(5.0), LimitReset: aistats.Ptr(aistats.LimitResetDaily)}))
		}},
		{1, 0, func() error { return c.APIKeys.Delete(ctx, doomed.ID) }}, // a tombstone: every repeat succeeds
		{1, 1, func() error {
			ck, err := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "worker"})
			if err == nil && !strings.HasPrefix(ck.Secret.Reveal(), "phaseo_v1_sk_") {
				err = errors.New("no API-key plaintext")
			}
			return err
		}},
		{1, 1, func() error {
			rk, err := c.APIKeys.Rotate(ctx, shared.ID, nil)
			if err == nil && (rk.ID == shared.ID || rk.Secret.IsZero()) {
				err = errors.New("rotation returned the old key or no secret")
			}
			return err
		}},
		{1, 0, func() error {
			return firstPage(mapSeq(c.APIKeys.Pages(ctx, &aistats.ListAPIKeysOptions{Limit: 3}), func(p *aistats.APIKeyPage) int { return len(p.Keys) }))
		}},
	}
	before := srv.RequestCount()
	hammer(t, workers, opsEach, func(w, i int) error {
		op := ops[(w+i)%len(ops)]
		expected.Add(op.requests)
		minted.Add(op.mints)
		return op.run()
	})
	assert.Equal(t, expected.Load(), int64(srv.RequestCount()-before), "one request per call, no retries")
	assert.Len(t, srv.APIKeys(), 2+int(minted.Load()), "every Create and Rotate made exactly one key")
	assert.Len(t, srv.Keys(), 2, "the credential and the shared key: every temporary key was deleted")
	k, _ := srv.APIKeyByID(doomed.ID)
	assert.Equal(t, aistats.KeyStatusDeleted, k.Status)
}
