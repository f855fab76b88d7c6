// The services' messages are PeerMessages' (one generated copy of search.proto's types).
@_exported import PeerMessages
