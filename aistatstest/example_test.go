package aistatstest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

func ExampleNewServer() {
	srv := aistatstest.NewServer() // API version 2026-07, as the hosted service today
	defer srv.Close()

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "CI pipeline", Limit: aistats.Ptr(25.0)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, created.Status, *created.Limit, created.LimitReset)

	for k, err := range client.APIKeys.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", k.Name, k.ID == created.ID)
	}
	stored, _ := srv.APIKeyByID(created.ID)
	fmt.Println("stored:", stored.Hash == created.Hash)
	// Output:
	// created: CI pipeline active 25 monthly
	// listed: CI pipeline true
	// stored: true
}

func ExampleServer_MintKey() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedAPIKeys(2)
	// A management key that may only read API keys.
	reader := srv.MintKey(aistatstest.KeySpec{Name: "dashboard", Scopes: "keys:read"})

	client, err := srv.Client(aistats.WithAPIKey(reader.Secret.Reveal()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	page, err := client.APIKeys.List(ctx, nil)
	fmt.Println("list:", len(page.Keys), err)
	_, err = client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "new"})
	var apiErr *aistats.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("create:", errors.Is(err, aistats.ErrForbidden), apiErr.Code, apiErr.Message)
	}
	// Output:
	// list: 2 <nil>
	// create: true insufficient_scope Token requires keys:write
}

func ExampleServer_AddAPIKey() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	key := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "CI", Limit: aistats.Ptr(25.0)})
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// Deleting an API key leaves a tombstone: Get still finds it by id, and
	// a second Delete succeeds.
	ctx := context.Background()
	if err := client.APIKeys.Delete(ctx, key.Hash); err != nil {
		log.Fatal(err)
	}
	got, err := client.APIKeys.Get(ctx, key.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Status, got.Disabled, *got.Limit, got.Hash == "deleted:"+key.ID, client.APIKeys.Delete(ctx, key.ID))
	// Output: deleted true 25 true <nil>
}

func ExampleWithAPIVersion() {
	// The 2026-03 dialect, for code that talks to a deployment of that era.
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026))
	defer srv.Close()
	// Seed a key the API itself would not create: the dashboard writes
	// "paused", and legacy keys store scopes as a comma list.
	key := srv.AddKey(aistatstest.KeySpec{Name: "legacy", Status: "paused", Scopes: "read,write"})

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Keys.Get(context.Background(), key.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.APIVersion(), got.Name, got.Status, got.Scopes, got.TeamID == srv.TeamID)
	// Output: 2026-03 legacy paused read,write true
}
