package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example must run on a fresh machine against the fake, keep the
// rotated secret in a 0600 file, and print no plaintext.
func TestRunsAgainstFake(t *testing.T) {
	t.Setenv("AI_STATS_API_KEY", "")
	t.Setenv("PHASEO_API_KEY", "")
	out := filepath.Join(t.TempDir(), "customer.key")
	if err := run("acme", 25, out); err != nil {
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
	if s := strings.TrimSpace(string(b)); !strings.HasPrefix(s, "phaseo_v1_sk_") {
		t.Errorf("secret file does not hold an API key")
	}
}
