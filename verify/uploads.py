from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitHandler(FileUploadHandler):
    """Refuse a multipart request larger than VERIFY_MAX_REQUEST_BYTES before reading it.

    RequestDataTooBig becomes the friendly 413 page (verify.views.bad_request).
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.VERIFY_MAX_REQUEST_BYTES:
            raise RequestDataTooBig("Upload larger than VERIFY_MAX_REQUEST_BYTES.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
