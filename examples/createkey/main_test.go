package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func clearEnv(t *testing.T) {
	t.Setenv("AI_STATS_API_KEY", "")
	t.Setenv("PHASEO_API_KEY", "")
}

// The example must run on a fresh machine: with no API key it uses the
// fake. The plaintext goes only to the new owner-readable file.
func TestRunsAgainstFake(t *testing.T) {
	clearEnv(t)
	out := filepath.Join(t.TempDir(), "secret")
	if err := run("test key", out); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret file mode %o, want 600", perm)
	}
	b, _ := os.ReadFile(out)
	if s := strings.TrimSpace(string(b)); !strings.HasPrefix(s, "phaseo_v1_mk_") || len(s) != 66 {
		t.Errorf("secret file holds %d bytes, want a 66-character management key", len(b))
	}
	// An existing file is never overwritten (nor its mode kept loose).
	if err := run("again", out); err == nil {
		t.Error("writing over an existing secret file must fail")
	}
}

// Against a real account the secret must not be thrown away: without -out
// the example refuses before creating anything.
func TestRealAccountNeedsOut(t *testing.T) {
	clearEnv(t)
	t.Setenv("AI_STATS_API_KEY", "phaseo_v1_mk_Hk29sdQ3xLmZ_8cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm")
	t.Setenv("AI_STATS_BASE_URL", "http://127.0.0.1:1/v1") // never reached
	err := run("k", "")
	if err == nil || !strings.Contains(err.Error(), "-out") {
		t.Fatalf("want a refusal naming -out, got %v", err)
	}
}
