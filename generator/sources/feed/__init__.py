"""RSS 2.0 and Atom feeds (WeChat-to-RSS services and any other feed).

The format adapter (sniff/read) is `adapter`."""
