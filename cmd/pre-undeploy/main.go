// Command pre-undeploy removes from a commercetools project what post-deploy created, when
// it is the connector's alone and unused. It reads the processor's environment.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/checkout-connect/go-connector/internal/deploy"
	"github.com/checkout-connect/go-connector/internal/hook"
)

func main() {
	if err := hook.Run(context.Background(), os.Getenv, os.Stdout, deploy.PreUndeploy); err != nil {
		fmt.Fprintln(os.Stderr, "Pre-undeploy failed:", err)
		os.Exit(1)
	}
}
