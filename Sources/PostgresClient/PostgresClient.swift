// The only module that calls libpq.
import CLibPQ

