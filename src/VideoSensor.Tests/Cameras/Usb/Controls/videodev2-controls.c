/* Prints the control structs of <linux/videodev2.h> as the kernel lays them out: sizes, ioctl numbers and
 * filled examples as hex. V4l2ControlStructTests compiles and runs this to check the C# encoders. */
#include <stdio.h>
#include <string.h>
#include <linux/videodev2.h>

static void hex(const char *name, const void *p, size_t n)
{
    const unsigned char *b = p;
    printf("%s=", name);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

int main(void)
{
    printf("sizeof_queryctrl=%zu\nsizeof_query_ext_ctrl=%zu\nsizeof_querymenu=%zu\nsizeof_control=%zu\n",
           sizeof(struct v4l2_queryctrl), sizeof(struct v4l2_query_ext_ctrl), sizeof(struct v4l2_querymenu), sizeof(struct v4l2_control));
    printf("VIDIOC_QUERYCTRL=%lu\nVIDIOC_QUERY_EXT_CTRL=%lu\nVIDIOC_QUERYMENU=%lu\nVIDIOC_G_CTRL=%lu\nVIDIOC_S_CTRL=%lu\n",
           (unsigned long)VIDIOC_QUERYCTRL, (unsigned long)VIDIOC_QUERY_EXT_CTRL, (unsigned long)VIDIOC_QUERYMENU,
           (unsigned long)VIDIOC_G_CTRL, (unsigned long)VIDIOC_S_CTRL);
    printf("V4L2_CID_BRIGHTNESS=%u\nV4L2_CID_EXPOSURE_AUTO=%u\nV4L2_CTRL_FLAG_NEXT_CTRL=%u\n",
           V4L2_CID_BRIGHTNESS, V4L2_CID_EXPOSURE_AUTO, V4L2_CTRL_FLAG_NEXT_CTRL);

    struct v4l2_queryctrl q; memset(&q, 0, sizeof q);
    q.id = V4L2_CID_BRIGHTNESS; q.type = V4L2_CTRL_TYPE_INTEGER; strcpy((char *)q.name, "Brightness");
    q.minimum = -64; q.maximum = 64; q.step = 1; q.default_value = 0; q.flags = V4L2_CTRL_FLAG_SLIDER;
    hex("queryctrl_brightness", &q, sizeof q);

    struct v4l2_query_ext_ctrl e; memset(&e, 0, sizeof e);
    e.id = V4L2_CID_EXPOSURE_ABSOLUTE; e.type = V4L2_CTRL_TYPE_INTEGER; strcpy(e.name, "Exposure Time, Absolute");
    e.minimum = 3; e.maximum = 2047; e.step = 1; e.default_value = 250;
    e.flags = V4L2_CTRL_FLAG_INACTIVE | V4L2_CTRL_FLAG_VOLATILE; e.elem_size = 4; e.elems = 1; e.nr_of_dims = 0;
    hex("query_ext_ctrl_exposure", &e, sizeof e);

    struct v4l2_querymenu m; memset(&m, 0, sizeof m);
    m.id = V4L2_CID_POWER_LINE_FREQUENCY; m.index = 1; strcpy((char *)m.name, "50 Hz");
    hex("querymenu_powerline", &m, sizeof m);

    struct v4l2_querymenu im; memset(&im, 0, sizeof im);
    im.id = 0x00a00901; im.index = 2; im.value = -5000000000LL;
    hex("querymenu_integer", &im, sizeof im);

    struct v4l2_control c; c.id = V4L2_CID_GAIN; c.value = -17;
    hex("control_gain", &c, sizeof c);
    return 0;
}
