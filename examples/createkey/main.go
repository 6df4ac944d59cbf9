// Command createkey creates a management key and keeps its one-time secret
// safely: it prints only the redacted form and writes the plaintext to a
// new file readable by the owner alone (-out). Against a real account -out
// is required.
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
	out := flag.String("out", "", "new file to write the plaintext key to (mode 0600); required against a real account")
	flag.Parse()
	if err := run(*name, *out); err != nil {
		fmt.Fprintln(os.Stderr, "createkey:", err)
		os.Exit(1)
	}
}

func run(name, out string) error {
	env, err := exampleenv.Open(0)
	if err != nil {
		return err
	}
	defer env.Close()
	secretFile, err := env.CreateSecretFile(out) // before the key exists
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Capability names work on both API versions (2026-03 stores them as given).
	created, err := env.Client.Keys.Create(ctx, &aistats.CreateKeyParams{
		Name:   name,
		Scopes: aistats.Scopes{"keys:read", "keys:write"},
	})
	var de *aistats.DecodeError
	switch {
	case errors.As(err, &de) && de.KeyCreated:
		// The key exists and its secret arrived; keep it, then report.
		if serr := secretFile.Save(created.Secret); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	case errors.Is(err, aistats.ErrUnknownOutcome):
		secretFile.Discard()
		// The API has no idempotency keys: look before trying again.
		return fmt.Errorf("%w (run listkeys to check whether %q exists)", err, name)
	case err != nil:
		secretFile.Discard()
		return err
	}
	// Printing the key shows only the secret's public prefix.
	fmt.Printf("created %s\n", created)
	return secretFile.Save(created.Secret)
}
