// Package http1 is a lean HTTP/1.1 client transport for calls to one API over kept-alive
// connections, made for the processor's calls to commercetools: five small requests a
// payment, each answered with a small JSON body.
//
// net/http's Transport serves every use of HTTP; each of its round trips hands the request
// to a writing goroutine and the answer back from a reading one, through channels and a
// select, and builds the request line with fmt. Under load those hand-offs and the
// bookkeeping around them cost the processor about as much CPU as its own work on a
// payment. This transport does the whole round trip on the caller's goroutine: it takes
// an idle connection, checks that the server has not closed it, writes the request in one
// system call and parses the answer as the caller reads its body, handing the connection
// back at the body's end.
//
// What it leaves out, so that nothing reaches it that it cannot serve: proxies (the
// caller keeps net/http's Transport when the environment names one), HTTP/2, compression
// (it never asks for it), 100-continue, and request bodies sent chunked (a body of unknown
// length is read first and sent with its length).
package http1
