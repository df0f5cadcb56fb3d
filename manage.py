#!/usr/bin/env python
from fankui.cli import main

if __name__ == "__main__":
    main()
