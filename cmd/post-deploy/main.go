// Command post-deploy prepares a commercetools project for the connector: it creates or
// completes the purchase-order payment custom type. It reads the processor's environment
// (CTP_*, TYPE_DEFINITION_KEY) and may be run any number of times.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/checkout-connect/go-connector/internal/deploy"
	"github.com/checkout-connect/go-connector/internal/hook"
)

func main() {
	if err := hook.Run(context.Background(), os.Getenv, os.Stdout, deploy.PostDeploy); err != nil {
		fmt.Fprintln(os.Stderr, "Post-deploy failed:", err)
		os.Exit(1)
	}
}
