"""Pages saved whole by a browser or an extension: MHTML archives (`.mhtml`/`.mht`) and
SingleFile pages. The format adapter (sniff/read) is `adapter`; the page inside is read by
the WeChat or the generic HTML adapter."""
