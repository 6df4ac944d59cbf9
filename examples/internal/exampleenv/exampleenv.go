// Package exampleenv gives the example programs a client: the real API when
// an API key is in the environment, otherwise the in-memory fake, so every
// example runs on a fresh machine with no account.
package exampleenv

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

// Env is where an example runs.
type Env struct {
	Client *aistats.Client
	// Fake is the in-memory server, nil against a real account.
	Fake  *aistatstest.Server
	close func()
}

// Open returns an Env. With no AI_STATS_API_KEY or PHASEO_API_KEY it starts
// the fake (API version 2026-07), seeds it with seed management keys, and
// says so on the first line of output.
func Open(seed int) (*Env, error) {
	if strings.TrimSpace(os.Getenv(aistats.EnvAPIKey)+os.Getenv(aistats.EnvPhaseoAPIKey)) != "" {
		c, err := aistats.NewClient()
		return &Env{Client: c, close: func() {}}, err
	}
	srv := aistatstest.NewServer()
	srv.SeedKeys(seed)
	fmt.Printf("no %s set: running against the in-memory fake at %s\n", aistats.EnvAPIKey, srv.URL)
	c, err := srv.Client()
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Env{Client: c, Fake: srv, close: srv.Close}, nil
}

// Close stops the fake, if any.
func (e *Env) Close() { e.close() }

// SecretFile is where an example keeps a new key's one-time plaintext.
type SecretFile struct{ f *os.File }

// CreateSecretFile opens path for a secret before the key is made, so a bad
// path cannot lose it afterwards. The file must not exist; it is created
// readable by its owner only (0600). Against a real account an empty path
// is an error: the API shows a secret once, and an example must not throw
// away a live key's. On the fake, an empty path keeps nothing.
func (e *Env) CreateSecretFile(path string) (*SecretFile, error) {
	if path == "" {
		if e.Fake == nil {
			return nil, errors.New("refusing to create a real key without -out FILE: its secret is shown only once")
		}
		return &SecretFile{}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the secret file: %w", err)
	}
	return &SecretFile{f: f}, nil
}

// Save writes the plaintext and closes the file.
func (s *SecretFile) Save(secret aistats.Secret) error {
	if s.f == nil {
		return nil
	}
	if _, err := s.f.WriteString(secret.Reveal() + "\n"); err != nil {
		s.f.Close()
		return fmt.Errorf("writing the secret to %s: %w", s.f.Name(), err)
	}
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("writing the secret to %s: %w", s.f.Name(), err)
	}
	fmt.Printf("plaintext written to %s (shown once by the API; store it now)\n", s.f.Name())
	return nil
}

// Discard removes the file when no key was created.
func (s *SecretFile) Discard() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
