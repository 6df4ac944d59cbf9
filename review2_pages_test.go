package aistats

// Second adversarial review: pagination and input validation.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func julyMgmtItem(id string) string {
	return strings.Replace(julyMgmtObject, julyMgmtID, id, 1) + "\n  }"
}

func mgmtID(i int) string { return fmt.Sprintf("3f6c2a9e-8b1d-4c7e-9a2f-%012d", i) }

// One key created while a walk runs shifts the newest-first list by one:
// the page after a full one then holds only the key the walk yielded last.
// That page is short, so the list is over and every key was yielded; the
// walk nevertheless ends with ErrNoProgress, so `for k, err := range All`
// reports a failure for a complete, routine walk (any workspace with at
// least Limit keys and one create during the walk).
func TestReview2ShortPageOfRepeatsAfterConcurrentCreate(t *testing.T) {
	page1 := `{"data":[` + julyMgmtItem(mgmtID(2)) + "," + julyMgmtItem(mgmtID(1)) + `]}`
	page2 := `{"data":[` + julyMgmtItem(mgmtID(1)) + `]}` // shifted by one new key
	srv := newTestServer(t, jsonReply(200, page1), jsonReply(200, page2))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	var n int
	for k, err := range c.Keys.All(context.Background(), &ListKeysOptions{Limit: 2}) {
		if err != nil {
			t.Errorf("after %d keys: %v", n, err)
			break
		}
		_ = k
		n++
	}
	if n != 2 {
		t.Errorf("yielded %d keys, want 2", n)
	}
}

// Sound: a full page of repeats still ends with ErrNoProgress (the guard
// against a server that ignores the offset).
func TestReview2FullPageOfRepeatsIsNoProgress(t *testing.T) {
	page := `{"data":[` + julyMgmtItem(mgmtID(2)) + "," + julyMgmtItem(mgmtID(1)) + `]}`
	srv := newTestServer(t, jsonReply(200, page))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	var last error
	for _, err := range c.Keys.All(context.Background(), &ListKeysOptions{Limit: 2}) {
		last = err
	}
	if !errors.Is(last, ErrNoProgress) || srv.count() != 2 {
		t.Errorf("err=%v after %d requests", last, srv.count())
	}
}

// The SDK checks names with strings.TrimSpace; the server with JavaScript's
// String.prototype.trim, which also strips U+FEFF. A name of only U+FEFF
// is therefore sent: K2/K4/M2 answer 400 "name is required", and M4 (which
// accepts "") silently stores an empty name, where the README promises "an empty name ... is a *ValidationError naming the
// field, before any request".
func TestReview2BOMOnlyNameIsSent(t *testing.T) {
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
