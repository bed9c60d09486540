"""Notifications: in-app messages (the bell), an e-mail/WhatsApp outbox with retries, and user preferences."""
