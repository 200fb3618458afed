package handlers

import (
	"bytes"
	"context"
	"io"
	"io/fs"

	"github.com/checkout-connect/go-connector/docs"
	"github.com/checkout-connect/go-connector/enabler"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/localmode"
)

// Demo is the local mode's demo checkout; nil outside local mode.
type Demo interface {
	Current(ctx context.Context) (localmode.DemoCheckout, error)
	New(ctx context.Context) (localmode.DemoCheckout, error)
}

// GetEnablerFile serves the embedded enabler bundles.
func (s *Server) GetEnablerFile(_ context.Context, req generated.GetEnablerFileRequestObject) (generated.GetEnablerFileResponseObject, error) {
	body, size, err := embedded("dist/" + string(req.File))
	if err != nil {
		return nil, apierror.NotFound(string(req.File))
	}
	return generated.GetEnablerFile200TextjavascriptResponse{Body: body, ContentLength: size}, nil
}

// GetDemoPage serves the demo checkout page in local mode.
func (s *Server) GetDemoPage(context.Context, generated.GetDemoPageRequestObject) (generated.GetDemoPageResponseObject, error) {
	if s.demo == nil {
		return nil, apierror.NotFound("/")
	}
	body, size, err := embedded("demo.html")
	if err != nil {
		return nil, err
	}
	return generated.GetDemoPage200TexthtmlResponse{Body: body, ContentLength: size}, nil
}

// embedded opens one of the enabler's embedded files for reading, without copying it.
func embedded(name string) (io.Reader, int64, error) {
	f, err := enabler.Files.Open(name)
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		return nil, 0, fs.ErrNotExist
	}
	return f, info.Size(), nil
}

// GetDemoCheckout answers the demo's current checkout.
func (s *Server) GetDemoCheckout(ctx context.Context, _ generated.GetDemoCheckoutRequestObject) (generated.GetDemoCheckoutResponseObject, error) {
	if s.demo == nil {
		return nil, apierror.NotFound("/demo/checkout")
	}
	c, err := s.demo.Current(ctx)
	if err != nil {
		return nil, err
	}
	return generated.GetDemoCheckout200JSONResponse(demoCheckout(c)), nil
}

// NewDemoCheckout starts a new demo checkout.
func (s *Server) NewDemoCheckout(ctx context.Context, _ generated.NewDemoCheckoutRequestObject) (generated.NewDemoCheckoutResponseObject, error) {
	if s.demo == nil {
		return nil, apierror.NotFound("/demo/checkout")
	}
	c, err := s.demo.New(ctx)
	if err != nil {
		return nil, err
	}
	return generated.NewDemoCheckout201JSONResponse(demoCheckout(c)), nil
}

func demoCheckout(c localmode.DemoCheckout) generated.DemoCheckout {
	out := generated.DemoCheckout{SessionId: c.SessionID, CartId: c.CartID, Payments: []generated.DemoPayment{},
		Total: generated.Money{CentAmount: c.Total.CentAmount, CurrencyCode: c.Total.CurrencyCode}}
	for _, p := range c.Payments {
		item := generated.DemoPayment{Id: p.ID, Method: p.PaymentMethodInfo.Method, Transactions: []generated.DemoTransaction{},
			AmountPlanned: generated.Money{CentAmount: p.AmountPlanned.CentAmount, CurrencyCode: p.AmountPlanned.CurrencyCode}}
		for _, tx := range p.Transactions {
			item.Transactions = append(item.Transactions, generated.DemoTransaction{CentAmount: tx.Amount.CentAmount, State: tx.State, Type: tx.Type})
		}
		out.Payments = append(out.Payments, item)
	}
	return out
}

// GetDocs serves the API reference.
func (s *Server) GetDocs(context.Context, generated.GetDocsRequestObject) (generated.GetDocsResponseObject, error) {
	return generated.GetDocs200TexthtmlResponse{Body: bytes.NewReader(docs.APIReference), ContentLength: int64(len(docs.APIReference))}, nil
}
