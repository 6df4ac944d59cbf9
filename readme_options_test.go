package aistats

import (
	"os"
	"testing"
)

// README, "Client and options": WithAPIKey("") is a *ValidationError, so
// a key from a variable of your own is passed only when set, and the
// client falls back to the standard variables otherwise.
func TestReadmeOwnKeyVariableFallsBack(t *testing.T) {
	t.Setenv(EnvAPIKey, julyKey)
	t.Setenv(EnvPhaseoAPIKey, "")
	t.Setenv("MY_KEY", "")
	os.Unsetenv("MY_KEY")

	_, err := NewClient(WithAPIKey(os.Getenv("MY_KEY")))
	requireValidationError(t, err, "WithAPIKey")

	readme := func() (*Client, error) {
		var opts []Option
		if key := os.Getenv("MY_KEY"); key != "" {
			opts = append(opts, WithAPIKey(key))
		}
		return NewClient(opts...)
	}
	c, err := readme()
	if err != nil || c.apiKey.Reveal() != julyKey {
		t.Fatalf("unset MY_KEY: want the $%s key, got %v", EnvAPIKey, err)
	}
	t.Setenv("MY_KEY", review2Key)
	if c, err = readme(); err != nil || c.apiKey.Reveal() != review2Key {
		t.Fatalf("set MY_KEY: want it used, got %v", err)
	}
}
