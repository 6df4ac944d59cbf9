// Command createkey creates a key and handles its one-time secret safely:
// it prints only the redacted form, and writes the plaintext to a file
// readable by the owner alone when -out is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/examples/internal/exampleenv"
)

func main() {
	name := flag.String("name", "example key", "name of the new key")
	out := flag.String("out", "", "file to write the plaintext key to (mode 0600); empty: do not keep it")
	flag.Parse()
	if err := run(*name, *out); err != nil {
		fmt.Fprintln(os.Stderr, "createkey:", err)
		os.Exit(1)
	}
}

func run(name, out string) error {
	client, done, err := exampleenv.Client(0)
	if err != nil {
		return err
	}
	defer done()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{
		Name:   name,
		Scopes: aistats.Scopes{"read", "write"},
	})
	if errors.Is(err, aistats.ErrUnknownOutcome) {
		// The API has no idempotency keys: look before trying again.
		return fmt.Errorf("%w (run listkeys to check whether %q exists)", err, name)
	}
	if err != nil {
		return err
	}
	// Printing the Secret shows only its public prefix.
	fmt.Printf("created %s %q scopes=%v secret=%v\n", created.ID, created.Name, created.Scopes, created.Secret)
	if out != "" {
		if err := os.WriteFile(out, []byte(created.Secret.Reveal()+"\n"), 0o600); err != nil {
			return fmt.Errorf("writing secret: %w", err)
		}
		fmt.Printf("plaintext written to %s (shown once by the API; store it now)\n", out)
	}
	return nil
}
